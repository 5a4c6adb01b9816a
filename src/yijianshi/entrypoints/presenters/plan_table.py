"""The readable Rich view of a plan (`yijianshi plan --format table`)."""

from __future__ import annotations

from typing import Any

from rich.console import Console, Group
from rich.table import Table

SOURCE_LABEL = {
    "upstream": "upstream 前序事项产生",
    "certificate": "certificate 电子证照",
    "register": "register 共享数据",
    "applicant": "applicant 需申请人提供",
}


def _stages(view: dict[str, Any]) -> Table:
    table = Table(title=f"{view['bundle']['name']} {view['bundle']['name_en']}: stages 并联阶段")
    for column in ("stage", "item 事项", "department 部门", "days", "depends on 依赖"):
        table.add_column(column)
    critical = set(view["critical_path"])
    for item in sorted(view["items"], key=lambda i: i["stage"]):
        mark = " *" if item["code"] in critical else ""
        table.add_row(
            str(item["stage"]),
            f"{item['name']} ({item['code']}){mark}",
            item["department_name"],
            str(item["promised_days"]),
            ", ".join(item["depends_on"]) or "-",
        )
    return table


def _form(view: dict[str, Any]) -> Table:
    table = Table(title="one form 一表申请")
    for column in ("field 字段", "key", "items", "prefill 预填"):
        table.add_column(column)
    for field in view["form"]["fields"]:
        prefill = f"{field['prefill']}: {field['prefill_from']}" if field["prefill"] else "-"
        required = "" if field["required"] else " (optional)"
        table.add_row(field["label"] + required, field["key"], str(len(field["items"])), prefill)
    return table


def _materials(view: dict[str, Any]) -> Table:
    table = Table(title="materials 材料")
    for column in ("material 材料", "source 来源", "from"):
        table.add_column(column)
    for material in view["materials"]:
        table.add_row(material["name"], SOURCE_LABEL[material["source"]], material["source_ref"] or "-")
    return table


def _savings(view: dict[str, Any]) -> Table:
    metrics = view["metrics"]
    table = Table(title="what the bundle saves 减环节、减材料、减时间、减跑动")
    for column in ("", "before 改革前", "after 一件事", "reported 报道"):
        table.add_column(column)
    reported = metrics.get("reported", {})
    for key in ("forms", "fields", "materials", "departments", "trips", "working_days"):
        was = reported.get("before", {}).get(key)
        now = reported.get("after", {}).get(key)
        shown = (
            "-"
            if was is None and now is None
            else f"{was if was is not None else '?'} → {now if now is not None else '?'}"
        )
        table.add_row(key, str(metrics["before"][key]), str(metrics["after"][key]), shown)
    return table


def print_plan(console: Console, view: dict[str, Any]) -> None:
    completion = view["completion"]
    note = " (provisional calendar 暂定)" if completion["provisional"] else ""
    console.print(Group(_stages(view), _form(view), _materials(view), _savings(view)))
    console.print(f"critical path 关键路径: {' → '.join(view['critical_path']) or '-'}")
    console.print(
        f"accepted {view['start']}; done within {completion['working_days']} working days, "
        f"by {completion['date']}{note}"
    )
