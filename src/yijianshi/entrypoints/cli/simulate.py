"""`yijianshi simulate`: generated applications through the engine and simulated departments."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from yijianshi.bootstrap import Container
from yijianshi.entrypoints.cli.common import DatabaseOption, ReportFormat, clear_errors, container
from yijianshi.services.applications.simulation import Simulate, simulate

BundleOption = Annotated[str, typer.Option("--bundle", help="Bundle code, e.g. birth")]
CountOption = Annotated[int, typer.Option("--applications", min=1, help="How many applications")]


def simulate_command(
    bundle: BundleOption = "birth",
    applications: CountOption = 100,
    database: DatabaseOption = None,
    format: Annotated[ReportFormat, typer.Option("--format")] = ReportFormat.table,
) -> None:
    """Submit N generated applications, run the worker with simulated departments until every
    application is final, and report submitted, completed, rejected, lost, duplicates, speed."""
    with clear_errors():
        context = container(database=database)
        run_simulation(context, bundle, applications, format)


def _progress() -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        transient=True,
    )


def run_simulation(context: Container, bundle: str, applications: int, fmt: ReportFormat) -> None:
    worker = context.worker()
    people = context.synthetic_people()
    department = context.simulated_department
    if fmt is ReportFormat.json:
        report = simulate(context.context, Simulate(bundle, applications), worker, department, people)
        sys.stdout.write(json.dumps(report.as_dict()) + "\n")
        return
    with _progress() as bar:
        tasks = {
            "submit": bar.add_task("submitting 提交", total=applications),
            "check": bar.add_task("checking 核对", total=applications),
        }
        report = simulate(
            context.context,
            Simulate(bundle, applications),
            worker,
            department,
            people,
            lambda phase, done, _total: bar.update(tasks[phase], completed=done),
        )
    for key, value in report.as_dict().items():
        typer.echo(f"{key:>20}  {value}")
