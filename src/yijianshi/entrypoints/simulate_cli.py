"""`yijianshi simulate` and `yijianshi worker`: the application engine from the command line."""

from __future__ import annotations

import json
import sys
import time
from enum import StrEnum
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from yijianshi.bootstrap import Container
from yijianshi.services.audit.verification import verify_audit
from yijianshi.services.cases.deadlines import deadline_warnings
from yijianshi.services.delivery.ports import EVERYTHING, Partition
from yijianshi.services.delivery.simulation import simulate


class ReportFormat(StrEnum):
    table = "table"
    json = "json"


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )


def run_simulation(services: Container, bundle: str, applications: int, fmt: ReportFormat) -> None:
    worker = services.worker()
    people = services.synthetic_people()
    department = services.simulated_department
    if fmt is ReportFormat.json:
        report = simulate(services.application_services, worker, department, people, bundle, applications)
        sys.stdout.write(json.dumps(report.as_dict()) + "\n")
        return
    with _progress() as bar:
        tasks = {
            "submit": bar.add_task("submitting 提交", total=applications),
            "check": bar.add_task("checking 核对", total=applications),
        }
        report = simulate(
            services.application_services,
            worker,
            department,
            people,
            bundle,
            applications,
            lambda phase, done, _total: bar.update(tasks[phase], completed=done),
        )
    for key, value in report.as_dict().items():
        typer.echo(f"{key:>20}  {value}")


def show_deadlines(services: Container, department: str | None, fmt: ReportFormat) -> None:
    warnings = deadline_warnings(services.application_services, department)
    if fmt is ReportFormat.json:
        sys.stdout.write(
            json.dumps(
                [
                    {
                        "application": w.application_id,
                        "case": w.case_id,
                        "item": w.item,
                        "department": w.department,
                        "state": w.state,
                        "accepted_on": w.accepted_on.isoformat(),
                        "deadline": w.deadline.isoformat(),
                        "colour": w.colour.value,
                    }
                    for w in warnings
                ],
                ensure_ascii=False,
            )
            + "\n"
        )
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


def verify_audit_logs(services: Container, application: str | None) -> int:
    """Print the outcome per broken log and a summary; return how many logs are broken."""
    checks = verify_audit(services.application_services.unit_of_work, application)
    broken = [c for c in checks if not c.result.ok]
    for check in broken:
        typer.echo(f"application {check.application_id}: {check.result.detail}", err=True)
    entries = sum(c.entries for c in checks)
    typer.echo(f"{len(checks) - len(broken)} of {len(checks)} audit logs intact ({entries} entries)")
    return len(broken)


def run_worker(
    services: Container, idle_sleep_s: float, rounds: int | None, partition: Partition = EVERYTHING
) -> None:
    """Deliver dispatches and collect answers until stopped (or for `rounds` rounds)."""
    worker = services.worker(partition)
    done = 0
    while rounds is None or done < rounds:
        if worker.run_once() == 0:
            time.sleep(idle_sleep_s)
        done += 1


BundleOption = Annotated[str, typer.Option("--bundle", help="Bundle code, e.g. birth")]
CountOption = Annotated[int, typer.Option("--applications", min=1, help="How many applications")]
DatabaseOption = Annotated[
    str | None,
    typer.Option(
        "--database", help="Database URL (default: YIJIANSHI_DATABASE_URL or sqlite:///yijianshi.sqlite3)"
    ),
]
