"""A plan as a diagram: BPMN 2.0 XML (runnable by a BPMN engine) and Mermaid.

The BPMN process mirrors the dependency graph, not the stages: a parallel gateway forks
after the start to every item with no upstream, an item with several upstream items waits
at a joining parallel gateway, an item that feeds several items forks, and every item that
feeds none joins before the end. Each item is a user task whose id is `item_<code>`.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Sequence

from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import Plan

BPMN = "http://www.omg.org/spec/BPMN/20100524/MODEL"
ET.register_namespace("bpmn", BPMN)


def task_id(code: str) -> str:
    """A BPMN id (an XML NCName) for an item code."""
    return "item_" + re.sub(r"[^A-Za-z0-9_.-]", "_", code)


class _Process:
    def __init__(self, process: ET.Element) -> None:
        self.process = process
        self.flows = 0

    def node(self, tag: str, node_id: str, name: str | None = None) -> str:
        attributes = {"id": node_id} | ({"name": name} if name else {})
        ET.SubElement(self.process, f"{{{BPMN}}}{tag}", attributes)
        return node_id

    def flow(self, source: str, target: str) -> None:
        self.flows += 1
        ET.SubElement(
            self.process,
            f"{{{BPMN}}}sequenceFlow",
            {"id": f"flow_{self.flows}", "sourceRef": source, "targetRef": target},
        )

    def entry(self, target: str, incoming: int, gateway: str) -> str:
        """The node a flow into `target` must reach: a joining gateway when `incoming` > 1."""
        if incoming <= 1:
            return target
        self.node("parallelGateway", gateway)
        self.flow(gateway, target)
        return gateway

    def leave(self, source: str, targets: Sequence[str], gateway: str) -> None:
        """Flow from `source` to every target, through a forking gateway when there are several.

        A BPMN task may have one outgoing flow only, and a joining gateway waits for one token
        per incoming flow, so every edge of the graph becomes exactly one flow.
        """
        if len(targets) == 1:
            self.flow(source, targets[0])
            return
        self.node("parallelGateway", gateway)
        self.flow(source, gateway)
        for target in targets:
            self.flow(gateway, target)


def to_bpmn(catalog: Catalog, plan: Plan) -> str:
    """BPMN 2.0 XML of the plan's dependency graph, one executable process.

    Every item is a user task `item_<code>` that runs once; it becomes ready when all the
    items it depends on have completed, and the process ends when every item has.
    """
    definitions = ET.Element(
        f"{{{BPMN}}}definitions",
        {"id": f"definitions_{plan.bundle.code}", "targetNamespace": "https://yijianshi.org/bpmn"},
    )
    process = ET.SubElement(
        definitions,
        f"{{{BPMN}}}process",
        {
            "id": f"bundle_{re.sub(r'[^A-Za-z0-9_]', '_', plan.bundle.code)}",
            "name": plan.bundle.name.zh,
            "isExecutable": "true",
        },
    )
    graph = _Process(process)
    start = graph.node("startEvent", "start", "受理 accepted")
    end = graph.node("endEvent", "end", "办结 completed")
    if not plan.items:
        graph.flow(start, end)
        return _document(definitions)
    downstream: dict[str, list[str]] = {item.code: [] for item in plan.items}
    for item in plan.items:
        department = catalog.departments[item.department].name.zh
        graph.node("userTask", task_id(item.code), f"{item.name.zh} ({department})")
        for upstream in item.depends_on:
            downstream[upstream].append(item.code)
    entry = {
        item.code: graph.entry(task_id(item.code), len(item.depends_on), f"join_{task_id(item.code)}")
        for item in plan.items
    }
    sinks = [task_id(item.code) for item in plan.items if not downstream[item.code]]
    end_entry = graph.entry(end, len(sinks), "join_end")
    graph.leave(start, [entry[i.code] for i in plan.items if not i.depends_on], "fork_start")
    for item in plan.items:
        targets = [entry[code] for code in downstream[item.code]] or [end_entry]
        graph.leave(task_id(item.code), targets, f"fork_{task_id(item.code)}")
    return _document(definitions)


def _document(definitions: ET.Element) -> str:
    ET.indent(definitions)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(definitions, encoding="unicode") + "\n"


def _mermaid_id(code: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]", "_", code)


def to_mermaid(catalog: Catalog, plan: Plan) -> str:
    """A Mermaid flowchart: one subgraph per stage, an edge per dependency."""
    lines = ["flowchart LR"]
    critical = set(plan.critical_path)
    for number, stage in enumerate(plan.stages, start=1):
        lines.append(f'  subgraph stage{number}["阶段 stage {number}"]')
        for code in stage:
            item = next(i for i in plan.items if i.code == code)
            department = catalog.departments[item.department].name.zh
            lines.append(
                f'    {_mermaid_id(code)}["{item.name.zh}<br/>{department} · {item.promised_days} 工作日"]'
            )
        lines.append("  end")
    for item in plan.items:
        for upstream in item.depends_on:
            lines.append(f"  {_mermaid_id(upstream)} --> {_mermaid_id(item.code)}")
    if critical:
        lines.append("  classDef critical stroke:#d4351c,stroke-width:3px")
        lines.append("  class " + ",".join(_mermaid_id(c) for c in plan.critical_path) + " critical")
    return "\n".join(lines) + "\n"
