"""`yijianshi catalog check|import`: validate a catalogue, import an implementation list."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from yijianshi.entrypoints.cli.common import clear_errors, container, err, out
from yijianshi.entrypoints.presenters.import_report import IMPORT_HELP, RowProgress, print_import_report
from yijianshi.services.catalogue import checking as catalog_service
from yijianshi.services.catalogue.importing.imports import ImportCatalog, import_catalog

catalog_app = typer.Typer(help="Check and import service-item catalogues.", no_args_is_help=True)


@catalog_app.command("check")
def catalog_check(directory: Annotated[Path, typer.Argument(help="Catalogue directory")]) -> None:
    """Validate a catalogue, cross-references included: one `file:line: problem` per line."""
    with clear_errors():
        context = container(directory)
        report = catalog_service.check_catalog(context.catalog_source, str(directory))
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
        context = container()
        command = ImportCatalog(str(file), str(out_dir), replace)
        with RowProgress(err, f"importing {file.name}") as progress:
            report = import_catalog(
                context.spreadsheet_reader,
                context.catalog_source,
                context.catalog_writer,
                command,
                progress,
            )
    print_import_report(out, report)
    if report.failed:
        raise typer.Exit(2)
