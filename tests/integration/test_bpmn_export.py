"""The BPMN export runs in a real engine (SpiffWorkflow) and the Mermaid export draws the plan.

Each catalogue is a dependency graph written as edges: `("a", "b")` means item b needs the
certificate item a issues, so the planner makes b depend on a.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser, BpmnValidator
from SpiffWorkflow.util.task import TaskState

import yijianshi
from tests.factories import MONDAY, bundle, catalog, item, yes_no
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog, Ref
from yijianshi.domain.planning import Holdings, Plan, build_plan
from yijianshi.entrypoints.presenters.plan_exports import task_id, to_bpmn, to_mermaid
from yijianshi.services.catalogue.ports import LoadedCatalog

Edges = tuple[tuple[str, str], ...]

SHAPES: dict[str, tuple[str, Edges]] = {
    "diamond": ("abcd", (("a", "b"), ("a", "c"), ("b", "d"), ("c", "d"))),
    "parallel": ("abcd", ()),
    "chain": ("abcd", (("a", "b"), ("b", "c"), ("c", "d"))),
    "single": ("a", ()),
    "two_in_two_out": ("pqxrs", (("p", "x"), ("q", "x"), ("x", "r"), ("x", "s"))),
    "shortcut": ("abc", (("a", "b"), ("b", "c"), ("a", "c"))),  # c waits for a directly too
}
# Items that must be ready at the same moment however the tasks are picked.
TOGETHER: dict[str, list[set[str]]] = {
    "diamond": [{"b", "c"}],
    "parallel": [{"a", "b", "c", "d"}],
    "chain": [],
    "single": [],
    "two_in_two_out": [{"p", "q"}, {"r", "s"}],
    "shortcut": [],
}


@pytest.fixture(scope="module")
def calendar() -> WorkingCalendar:
    return chinese_working_calendar()


def shaped_catalog(codes: Iterable[str], edges: Edges) -> Catalog:
    """A bundle `shape` whose item x issues certificate cert_x and needs its upstreams' ones."""
    codes = list(codes)
    items = [
        item(
            code,
            department=f"d{index % 2 + 1}",
            days=index + 1,
            needs=tuple((f"cert_{u}", "applicant") for u, d in edges if d == code),
            issues=((f"cert_{code}", "applicant"),),
        )
        for index, code in enumerate(codes)
    ]
    return catalog(*items, bundles=(bundle("shape", *codes),))


def plan_of(
    catalogue: Catalog,
    calendar: WorkingCalendar,
    code: str = "shape",
    answers: Mapping[str, str] | None = None,
) -> Plan:
    return build_plan(catalogue, catalogue.bundles[code], answers or {}, Holdings(), calendar, MONDAY)


@dataclass
class Run:
    """What happened when the engine ran a process: item codes, in order and as ready sets."""

    order: list[str] = field(default_factory=list)
    ready_sets: list[frozenset[str]] = field(default_factory=list)
    ran_once: dict[str, int] = field(default_factory=dict)
    completed: bool = False
    data: dict[str, object] = field(default_factory=dict)


def run_in_spiff(xml: str, plan: Plan, pick: str = "first") -> Run:
    """Parse `xml` (schema-validated), then complete every ready user task until none is left.

    Each task records its position in the task data; a task found ready before all its
    upstream items ran fails the test at once.
    """
    parser = BpmnParser(validator=BpmnValidator())
    parser.add_bpmn_str(xml.encode("utf-8"))
    (process,) = parser.get_process_ids()
    workflow = BpmnWorkflow(parser.get_spec(process))
    code_of = {task_id(i.code): i.code for i in plan.items}
    upstream = {i.code: i.depends_on for i in plan.items}
    run = Run()
    workflow.do_engine_steps()
    for _ in range(len(plan.items) + 1):  # one task per turn; a spare turn proves none is left
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            break
        codes = [code_of[task.task_spec.bpmn_id] for task in ready]
        run.ready_sets.append(frozenset(codes))
        for code in codes:
            missing = set(upstream[code]) - set(run.order)
            assert not missing, f"{code} became ready before {sorted(missing)} ran"
        task = ready[0] if pick == "first" else ready[-1]
        code = code_of[task.task_spec.bpmn_id]
        task.data[f"ran_{code}"] = len(run.order)
        task.run()
        run.order.append(code)
        workflow.do_engine_steps()
    completed = workflow.get_tasks(state=TaskState.COMPLETED)
    run.ran_once = {
        code: sum(1 for t in completed if t.task_spec.bpmn_id == spec) for spec, code in code_of.items()
    }
    run.completed = workflow.is_completed()
    run.data = dict(workflow.data)
    return run


def assert_ran_as_planned(run: Run, plan: Plan) -> None:
    codes = [i.code for i in plan.items]
    assert run.completed
    assert run.ran_once == dict.fromkeys(codes, 1)
    assert sorted(run.order) == sorted(codes)
    for planned in plan.items:
        for upstream in planned.depends_on:
            assert run.order.index(upstream) < run.order.index(planned.code)
    # task data flows through every join: the end sees what each item recorded
    assert {key for key in run.data if key.startswith("ran_")} == {f"ran_{c}" for c in codes}


@pytest.mark.parametrize("pick", ["first", "last"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_exported_process_runs_each_item_once_after_its_upstream_items(
    shape: str, pick: str, calendar: WorkingCalendar
) -> None:
    codes, edges = SHAPES[shape]
    catalogue = shaped_catalog(codes, edges)
    plan = plan_of(catalogue, calendar)
    assert {(u, i.code) for i in plan.items for u in i.depends_on} == set(edges)

    run = run_in_spiff(to_bpmn(catalogue, plan), plan, pick)

    assert_ran_as_planned(run, plan)
    for together in TOGETHER[shape]:
        assert any(together <= ready for ready in run.ready_sets), run.ready_sets


def test_a_chain_never_has_two_items_ready_at_once(calendar: WorkingCalendar) -> None:
    catalogue = shaped_catalog(*SHAPES["chain"])
    plan = plan_of(catalogue, calendar)

    run = run_in_spiff(to_bpmn(catalogue, plan), plan)

    assert run.ready_sets == [{"a"}, {"b"}, {"c"}, {"d"}]


def test_a_plan_whose_items_are_all_ruled_out_exports_a_process_that_just_ends(
    calendar: WorkingCalendar,
) -> None:
    catalogue = catalog(
        item("a"),
        bundles=(bundle("shape", ("a", "moving = 'yes'"), questions=(yes_no("moving", default="no"),)),),
    )
    plan = plan_of(catalogue, calendar)
    assert plan.items == ()

    run = run_in_spiff(to_bpmn(catalogue, plan), plan)

    assert run.completed
    assert run.order == []


def test_items_ruled_out_by_answers_are_not_in_the_process(calendar: WorkingCalendar) -> None:
    codes, edges = SHAPES["diamond"]
    catalogue = shaped_catalog(codes, edges)
    catalogue.bundles["fork"] = bundle(
        "fork", "a", ("b", "moving = 'yes'"), "c", "d", questions=(yes_no("moving"),)
    )
    plan = plan_of(catalogue, calendar, "fork", {"moving": "no"})

    run = run_in_spiff(to_bpmn(catalogue, plan), plan)

    assert_ran_as_planned(run, plan)
    assert run.order == ["a", "c", "d"]


def mermaid_edges(text: str) -> list[tuple[str, str]]:
    return [(m[1], m[2]) for m in re.finditer(r"^\s*(\w+) --> (\w+)\s*$", text, re.MULTILINE)]


def mermaid_subgraphs(text: str) -> list[list[str]]:
    """The node ids declared inside each subgraph, in order."""
    blocks = re.findall(r"^\s*subgraph [^\n]*\n(.*?)^\s*end$", text, re.MULTILINE | re.DOTALL)
    return [re.findall(r"^\s*(\w+)\[", block, re.MULTILINE) for block in blocks]


@pytest.mark.parametrize("shape", list(SHAPES))
def test_mermaid_has_one_edge_per_dependency_and_a_subgraph_per_stage(
    shape: str, calendar: WorkingCalendar
) -> None:
    catalogue = shaped_catalog(*SHAPES[shape])
    plan = plan_of(catalogue, calendar)

    text = to_mermaid(catalogue, plan)

    edges = mermaid_edges(text)
    assert sorted(edges) == sorted((u, i.code) for i in plan.items for u in i.depends_on)
    assert mermaid_subgraphs(text) == [list(stage) for stage in plan.stages]


def test_mermaid_stages_of_a_diamond(calendar: WorkingCalendar) -> None:
    catalogue = shaped_catalog(*SHAPES["diamond"])

    text = to_mermaid(catalogue, plan_of(catalogue, calendar))

    assert mermaid_subgraphs(text) == [["a"], ["b", "c"], ["d"]]
    assert text.count("subgraph ") == 3


SAMPLE = Path(yijianshi.__file__).parent / "sample_catalog"
SAMPLE_BUNDLE_FILES = sorted(p.name for p in (SAMPLE / "bundles").glob("*.y*ml"))


@pytest.fixture(scope="module")
def sample() -> LoadedCatalog:
    return FileCatalogSource().load(str(SAMPLE))


def bundle_defined_in(loaded: LoadedCatalog, filename: str) -> str:
    codes = [
        code
        for code in loaded.catalog.bundles
        if Path(loaded.locate(Ref("bundle", code)).file).name == filename
    ]
    assert codes, f"no bundle loaded from {filename}: {[str(f) for f in loaded.findings]}"
    return codes[0]


@pytest.mark.parametrize("filename", SAMPLE_BUNDLE_FILES)
def test_every_sample_bundle_default_plan_runs_in_spiff(
    filename: str, sample: LoadedCatalog, calendar: WorkingCalendar
) -> None:
    plan = plan_of(sample.catalog, calendar, bundle_defined_in(sample, filename))

    run = run_in_spiff(to_bpmn(sample.catalog, plan), plan)

    assert_ran_as_planned(run, plan)
