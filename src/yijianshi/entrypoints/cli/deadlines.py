"""`yijianshi deadlines`: running cases whose time limit is yellow or red (时限预警)."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from yijianshi.bootstrap import Container
from yijianshi.entrypoints.cli.common import DatabaseOption, ReportFormat, clear_errors, container
from yijianshi.services.cases.deadlines import DeadlineWarning, ListDeadlineWarnings, deadline_warnings


def deadlines_command(
    database: DatabaseOption = None,
    department: Annotated[str | None, typer.Option(help="Only this department's cases")] = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.table,
) -> None:
    """List running cases whose time limit is yellow (≥ 80% used) or red (overdue), today."""
    with clear_errors():
        show_deadlines(container(database=database), department, format)


def show_deadlines(context: Container, department: str | None, fmt: ReportFormat) -> None:
    warnings = deadline_warnings(context.context, ListDeadlineWarnings(department))
    if fmt is ReportFormat.json:
        sys.stdout.write(json.dumps([_as_dict(w) for w in warnings], ensure_ascii=False) + "\n")
        return
    table = Table(title="time limits 时限预警 (yellow 黄牌: ≥ 80% used; red 红牌: overdue)")
    for column in ("colour", "deadline 截止", "item 事项", "department 部门", "case", "application"):
        table.add_column(column)
    for w in warnings:
        style = "red" if w.colour.value == "red" else "yellow"
        table.add_row(
            f"[{style}]{w.colour.value}[/]",
            w.deadline.isoformat(),
            w.item,
            w.department,
            w.case_id,
            w.application_id,
        )
    Console().print(table if warnings else "no case is yellow or red 暂无预警")


def _as_dict(w: DeadlineWarning) -> dict[str, str]:
    return {
        "application": w.application_id,
        "case": w.case_id,
        "item": w.item,
        "department": w.department,
        "state": w.state,
        "accepted_on": w.accepted_on.isoformat(),
        "deadline": w.deadline.isoformat(),
        "colour": w.colour.value,
    }
