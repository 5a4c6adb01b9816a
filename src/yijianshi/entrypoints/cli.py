"""The `yijianshi` command line: a thin layer over the service layer."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from yijianshi.bootstrap import Container, settle_heap
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import Holdings, Plan
from yijianshi.entrypoints import log_masking, serve, sharing_commands, simulate_cli
from yijianshi.entrypoints.common import clear_errors, container, err, fail, out
from yijianshi.entrypoints.dead_letters_cli import dead_letters_app
from yijianshi.entrypoints.presenters import plan_exports
from yijianshi.entrypoints.presenters.import_report import IMPORT_HELP, RowProgress, print_import_report
from yijianshi.entrypoints.presenters.plan_table import print_plan
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.services.catalogue import checking as catalog_service
from yijianshi.services.catalogue.importing.imports import ImportCatalog, import_catalog
from yijianshi.services.catalogue.planning import PlanBundle, build_bundle_plan
from yijianshi.services.delivery.ports import Partition

app = typer.Typer(
    help="yijianshi (一件事): deliver a life event as one thing.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
catalog_app = typer.Typer(help="Check and import service-item catalogues.", no_args_is_help=True)
app.add_typer(catalog_app, name="catalog")


@catalog_app.command("check")
def catalog_check(directory: Annotated[Path, typer.Argument(help="Catalogue directory")]) -> None:
    """Validate a catalogue, cross-references included: one `file:line: problem` per line."""
    with clear_errors():
        services = container(directory)
        report = catalog_service.check_catalog(services.catalog_source, str(directory))
    for finding in report.findings:
        err.print(str(finding), markup=False)
    if report.errors:
        err.print(f"{len(report.errors)} error(s) in {directory}", markup=False)
        raise typer.Exit(2)
    out.print(f"{directory}: {report.items} items, {report.bundles} bundles, no errors", markup=False)


@catalog_app.command("import", help=IMPORT_HELP)
def catalog_import(
    file: Annotated[Path, typer.Argument(help="Implementation list (实施清单): .xlsx or .csv")],
    out_dir: Annotated[Path, typer.Option("--out", help="Catalogue directory to create or add to")] = Path(
        "imported_catalog"
    ),
    replace: Annotated[bool, typer.Option("--replace", help="Rewrite items already in --out")] = False,
) -> None:
    with clear_errors():
        services = container()
        command = ImportCatalog(str(file), str(out_dir), replace)
        with RowProgress(err, f"importing {file.name}") as progress:
            report = import_catalog(
                services.spreadsheet_reader,
                services.catalog_source,
                services.catalog_writer,
                command,
                progress,
            )
    print_import_report(out, report)
    if report.failed:
        raise typer.Exit(2)


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    bpmn = "bpmn"
    mermaid = "mermaid"


def _start(value: str | None, services: Container) -> dt.date:
    if value is None:
        return services.clock.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail([f"--start: {value!r} is not a date; write it YYYY-MM-DD, e.g. 2026-03-02"])


RENDERERS: dict[PlanFormat, Callable[[Catalog, Plan], str]] = {
    PlanFormat.bpmn: plan_exports.to_bpmn,
    PlanFormat.mermaid: plan_exports.to_mermaid,
}


app.command("serve")(serve.serve)


@app.command("plan")
def plan(
    bundle: Annotated[str, typer.Argument(help="Bundle code, e.g. birth")],
    catalog: Annotated[Path | None, typer.Option(help="Catalogue directory (default: the sample)")] = None,
    answers: Annotated[Path | None, typer.Option(help="YAML/JSON file of guidance answers")] = None,
    holdings: Annotated[Path | None, typer.Option(help="YAML/JSON file of certificates held")] = None,
    start: Annotated[str | None, typer.Option(help="Day of acceptance, YYYY-MM-DD (default today)")] = None,
    format: Annotated[PlanFormat, typer.Option("--format", help="Output format")] = PlanFormat.table,
) -> None:
    """Plan a bundle: items, parallel stages, one form, materials and what it saves."""
    with clear_errors():
        services = container(catalog)
        loaded = catalog_service.load_valid_catalog(
            services.catalog_source, str(services.settings.catalog_dir)
        )
        command = PlanBundle(
            bundle,
            _start(start, services),
            services.applicant_inputs.answers(str(answers)) if answers else {},
            services.applicant_inputs.holdings(str(holdings)) if holdings else Holdings(),
        )
        result = build_bundle_plan(loaded, services.calendar, command)
    if format is PlanFormat.json:
        sys.stdout.write(json.dumps(plan_as_dict(loaded, result), ensure_ascii=False, indent=2) + "\n")
    elif format is PlanFormat.table:
        print_plan(out, plan_as_dict(loaded, result))
    else:
        sys.stdout.write(RENDERERS[format](loaded, result))


@app.command("simulate")
def simulate_command(
    bundle: simulate_cli.BundleOption = "birth",
    applications: simulate_cli.CountOption = 100,
    database: simulate_cli.DatabaseOption = None,
    format: Annotated[simulate_cli.ReportFormat, typer.Option("--format")] = simulate_cli.ReportFormat.table,
) -> None:
    """Submit N generated applications, run the worker with simulated departments until every
    application is final, and report submitted, completed, rejected, lost, duplicates, speed."""
    with clear_errors():
        services = container(database=database)
        simulate_cli.run_simulation(services, bundle, applications, format)


@app.command("deadlines")
def deadlines_command(
    database: simulate_cli.DatabaseOption = None,
    department: Annotated[str | None, typer.Option(help="Only this department's cases")] = None,
    format: Annotated[simulate_cli.ReportFormat, typer.Option("--format")] = simulate_cli.ReportFormat.table,
) -> None:
    """List running cases whose time limit is yellow (≥ 80% used) or red (overdue), today."""
    with clear_errors():
        simulate_cli.show_deadlines(container(database=database), department, format)


audit_app = typer.Typer(help="The audit trail (审计日志).", no_args_is_help=True)
app.add_typer(audit_app, name="audit")


@audit_app.command("verify")
def audit_verify(
    database: simulate_cli.DatabaseOption = None,
    application: Annotated[str | None, typer.Option(help="Only this application's log")] = None,
) -> None:
    """Verify every audit log against its hash chain and its head; name the first bad entry.

    Exit status 0 when every log is intact, 1 when any is not, 2 on bad input."""
    with clear_errors():
        bad = simulate_cli.verify_audit_logs(container(database=database), application)
    if bad:
        raise typer.Exit(1)


@app.command("worker")
def worker_command(
    database: simulate_cli.DatabaseOption = None,
    idle_sleep: Annotated[float, typer.Option(help="Seconds to sleep when there is nothing to do")] = 0.2,
    rounds: Annotated[int | None, typer.Option(help="Stop after this many rounds (default: never)")] = None,
    partition: Annotated[
        str,
        typer.Option(
            help="I/N: this worker takes the applications of share I of N (0 ≤ I < N), so N workers, "
            "one per core, share the work without contending; 0/1 is all of it"
        ),
    ] = "0/1",
) -> None:
    """Run dispatch delivery and department answers for a deployment, until stopped."""
    log_masking.install()
    share = parse_partition(partition)
    with clear_errors():
        services = container(database=database)
        services.engine  # noqa: B018 - migrate before the first round
        settle_heap()
        simulate_cli.run_worker(services, idle_sleep, rounds, share)


def parse_partition(text: str) -> Partition:
    """`I/N` as a Partition, or a one-line error naming the option."""
    index, slash, count = text.partition("/")
    try:
        if slash and index.strip().isdigit() and count.strip().isdigit():
            return Partition(int(index), int(count))
    except ValueError:
        pass
    raise typer.BadParameter(
        f"{text!r} is not a share I/N with 0 ≤ I < N, e.g. 0/2 and 1/2 for two workers",
        param_hint="--partition",
    )


app.add_typer(sharing_commands.certificate_app, name="certificate")
app.add_typer(sharing_commands.registers_app, name="registers")
app.add_typer(dead_letters_app, name="dead-letters")


def main() -> None:
    app()
