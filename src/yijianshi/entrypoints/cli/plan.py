"""`yijianshi plan`: a bundle's plan as a table, JSON, BPMN or Mermaid."""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from yijianshi.bootstrap import Container
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import Holdings, Plan
from yijianshi.entrypoints.cli.common import clear_errors, container, fail, out
from yijianshi.entrypoints.presenters import plan_exports
from yijianshi.entrypoints.presenters.plan_table import print_plan
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.services.catalogue import checking as catalog_service
from yijianshi.services.planning import PlanBundle, build_bundle_plan


class PlanFormat(StrEnum):
    table = "table"
    json = "json"
    bpmn = "bpmn"
    mermaid = "mermaid"


RENDERERS: dict[PlanFormat, Callable[[Catalog, Plan], str]] = {
    PlanFormat.bpmn: plan_exports.to_bpmn,
    PlanFormat.mermaid: plan_exports.to_mermaid,
}


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
        context = container(catalog)
        loaded = catalog_service.load_valid_catalog(context.catalog_source, str(context.settings.catalog_dir))
        command = PlanBundle(
            bundle,
            _start(start, context),
            context.applicant_inputs.answers(str(answers)) if answers else {},
            context.applicant_inputs.holdings(str(holdings)) if holdings else Holdings(),
        )
        result = build_bundle_plan(loaded, context.calendar, command)
    if format is PlanFormat.json:
        sys.stdout.write(json.dumps(plan_as_dict(loaded, result), ensure_ascii=False, indent=2) + "\n")
    elif format is PlanFormat.table:
        print_plan(out, plan_as_dict(loaded, result))
    else:
        sys.stdout.write(RENDERERS[format](loaded, result))


def _start(value: str | None, context: Container) -> dt.date:
    if value is None:
        return context.clock.today()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        fail([f"--start: {value!r} is not a date; write it YYYY-MM-DD, e.g. 2026-03-02"])
