"""Pages of administrators (templates/admin/): the dashboard, the catalogue, bundles drawn and
what they save, and every bad rating to rectify.

The dashboard shows `context.statistics.statistics` (what `GET /api/admin/statistics` answers) as
figures and bar charts, each chart with a table of the same numbers. A bundle's page plans it
from today for the default answers (the common path, as `yijianshi plan` does without
`--answers`) or for the answers chosen on the page, draws its dependency graph
(`context.plan_layout`) and charts its savings from the plan's metrics
(`plan_as_dict(...)["metrics"]`), with the figures a source reported, if any.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from yijianshi.domain.accounts import Role
from yijianshi.domain.bundles import Bundle
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import Plan
from yijianshi.domain.ratings import RatingLevel
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContextDep
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.entrypoints.presenters.plan_layout import Direction, GraphLayout, Spacing, layout
from yijianshi.entrypoints.presenters.plan_view import plan_as_dict
from yijianshi.entrypoints.web import charts
from yijianshi.entrypoints.web.department import Gettext, rectifications_page, reply_or_show
from yijianshi.entrypoints.web.deps import CSRF, Renderer
from yijianshi.entrypoints.web.i18n import ZH
from yijianshi.entrypoints.web.render import language
from yijianshi.services.cases.statistics import ComputeStatistics, Statistics, statistics
from yijianshi.services.errors import NotFound
from yijianshi.services.planning import PlanBundle, plan_bundle

router = APIRouter(include_in_schema=False)
ADMIN = who(Role.ADMIN)
METRICS = ("forms", "fields", "materials", "departments", "trips", "working_days")
STATUSES = ("in_progress", "action_required", "completed", "partially_completed", "rejected", "withdrawn")
WIDE = Spacing()
NARROW = Spacing(box_width=170, box_height=100, between_stages=44, within_stage=14)
STAGE_BAND = 30  # room above the boxes of the wide drawing for the stages' names
NODE_FONT = 14
Pick = Callable[[Text], str]


def picker(request: Request) -> Pick:
    """The reader's side of a `Text`, for texts measured in Python (chart labels)."""
    zh = language(request) == ZH
    return lambda text: text.zh if zh else text.en


def metric_labels(_: Gettext) -> dict[str, str]:
    return {
        "forms": _("Forms"),
        "fields": _("Fields to type"),
        "materials": _("Materials to bring"),
        "departments": _("Departments or windows"),
        "trips": _("Trips"),
        "working_days": _("Working days"),
    }


def status_labels(_: Gettext) -> dict[str, str]:
    return {
        "in_progress": _("In progress"),
        "action_required": _("Action required"),
        "completed": _("Completed"),
        "partially_completed": _("Partially completed"),
        "rejected": _("Rejected"),
        "withdrawn": _("Withdrawn"),
    }


def working_days(_: Gettext, count: int) -> str:
    return _("1 working day") if count == 1 else _("%(num)d working days") % {"num": count}


def percent(share: float | None) -> str:
    """A share as a percentage with one decimal; a dash while there is nothing to count."""
    return "–" if share is None else f"{share * 100:.1f}%"


# --- the dashboard -----------------------------------------------------------------------------


def dashboard_charts(
    _: Gettext, pick: Pick, found: Statistics, names: dict[str, Text]
) -> dict[str, charts.BarChart]:
    """Applications per life event, completed cases by working days taken, ratings by level."""
    volumes = charts.bar_chart(
        [
            (
                code,
                pick(names.get(code, Text(code, code))),
                [charts.Series("total", float(sum(counts.values())), str(sum(counts.values())))],
            )
            for code, counts in found.applications.items()
        ]
    )
    days = charts.bar_chart(
        [
            (str(n), working_days(_, n), [charts.Series("total", float(count), str(count))])
            for n, count in found.completion_days.items()
        ]
    )
    ratings = charts.bar_chart(
        [
            (
                level,
                pick(RatingLevel(level).label),
                [charts.Series("bad" if RatingLevel(level).bad else "total", float(count), str(count))],
            )
            for level, count in found.ratings.items()
        ]
    )
    return {"volumes": volumes, "days": days, "ratings": ratings}


@router.get("/admin", **ADMIN)
def dashboard(request: Request, context: ContextDep, pages: Renderer) -> Response:
    """Volumes, completion times, time-limit compliance, ratings, overdue items."""
    _: Gettext = pages.gettext(request)
    found = statistics(context, ComputeStatistics())
    names = {code: b.name for code, b in context.catalog.bundles.items()}
    return pages.render(
        request,
        "admin/dashboard.html",
        {
            "stats": found,
            "total": sum(sum(c.values()) for c in found.applications.values()),
            "bundle_names": names,
            "statuses": STATUSES,
            "status_labels": status_labels(_),
            "levels": {level.value: level.label for level in RatingLevel},
            "percent": percent,
            "charts": dashboard_charts(_, picker(request), found, names),
        },
    )


# --- the catalogue -----------------------------------------------------------------------------


def _bundles_of(catalog: Catalog, item: str) -> list[Bundle]:
    return [b for b in catalog.bundles.values() if any(entry.item == item for entry in b.items)]


@router.get("/admin/catalog", **ADMIN)
def catalog_page(request: Request, context: ContextDep, pages: Renderer) -> Response:
    """Every item (code, name, department, time limits, fields, materials, certificates) and bundle."""
    catalog = context.catalog
    return pages.render(
        request,
        "admin/catalog.html",
        {
            "items": sorted(catalog.items.values(), key=lambda i: i.code),
            "bundles": sorted(catalog.bundles.values(), key=lambda b: b.code),
            "departments": catalog.departments,
            "certificates": catalog.certificates,
        },
    )


@router.get("/admin/catalog/items/{code}", **ADMIN)
def item_page(code: str, request: Request, context: ContextDep, pages: Renderer) -> Response:
    """One item as the catalogue holds it, and the bundles it is part of."""
    catalog = context.catalog
    item = catalog.items.get(code)
    if item is None:
        raise NotFound(Text(f"目录中没有事项 {code}", f"the catalogue has no item {code}"))
    return pages.render(
        request,
        "admin/item.html",
        {
            "item": item,
            "department": catalog.departments.get(item.department),
            "elements": catalog.elements,
            "certificates": catalog.certificates,
            "bundles": _bundles_of(catalog, code),
        },
    )


# --- a bundle: its graph and its savings -------------------------------------------------------


def _answers(
    request: Request, _: Gettext, pick: Pick, bundle: Bundle
) -> tuple[dict[str, str], list[dict[str, str]]]:
    """The guidance answers chosen in the query (question code -> option code), and what is wrong."""
    chosen, errors = {}, []
    for question in bundle.questions:
        value = request.query_params.get(question.code)
        if value is None or value == "":
            continue
        if value not in question.option_codes():
            errors.append(
                {
                    "field": question.code,
                    "message": _("Choose an answer from the list for “%(question)s”")
                    % {"question": pick(question.text)},
                }
            )
        else:
            chosen[question.code] = value
    return chosen, errors


def _nodes(drawn: GraphLayout, catalog: Catalog, pick: Pick, _: Gettext) -> list[dict[str, Any]]:
    """Each box with the lines of its label: the item's name, its department, its time limit."""
    nodes = []
    for box in drawn.boxes:
        width = box.width - 16
        department = catalog.departments.get(box.item.department)
        name_lines = charts.wrap(
            pick(box.item.name), width, NODE_FONT, max_lines=2 if drawn.direction is Direction.ACROSS else 3
        )
        nodes.append(
            {
                "box": box,
                "name": name_lines,
                "department": charts.wrap(
                    pick(department.name) if department else box.item.department,
                    width,
                    NODE_FONT - 2,
                    max_lines=1,
                )[0],
                "days": working_days(_, box.item.promised_days),
            }
        )
    return nodes


def _savings(_: Gettext, figures: dict[str, Any], before_label: str, after_label: str) -> charts.BarChart:
    """Before and after bars per metric, each metric on its own scale (they have different units)."""
    labels = metric_labels(_)
    rows = []
    for metric in METRICS:
        series = [
            charts.Series(name, float(figures[name][metric]), f"{label}: {figures[name][metric]:g}")
            for name, label in (("before", before_label), ("after", after_label))
            if metric in figures.get(name, {})
        ]
        if series:
            rows.append((metric, labels[metric], series))
    return charts.bar_chart(rows, shared_scale=False)


def bundle_context(request: Request, catalog: Catalog, plan: Plan, _: Gettext) -> dict[str, Any]:
    pick = picker(request)
    shown = plan_as_dict(catalog, plan)
    metrics = shown["metrics"]
    wide, narrow = layout(plan, Direction.ACROSS, WIDE), layout(plan, Direction.DOWN, NARROW)
    names = {item.code: item.name for item in plan.items}
    reported = metrics.get("reported")
    return {
        "plan": plan,
        "shown": shown,
        "metrics": metrics,
        "metric_labels": metric_labels(_),
        "metric_order": METRICS,
        "names": names,
        "departments": catalog.departments,
        "wide": wide,
        "wide_nodes": _nodes(wide, catalog, pick, _),
        "narrow": narrow,
        "narrow_nodes": _nodes(narrow, catalog, pick, _),
        "stage_band": STAGE_BAND,
        "stage_x": [
            min(b.x for b in wide.boxes if b.item.stage == index + 1) + WIDE.box_width / 2
            for index in range(len(plan.stages))
        ]
        if wide.boxes
        else [],
        "savings": _savings(_, metrics, _("Item by item"), _("As one thing")),
        "reported_chart": (
            _savings(_, reported, _("Reported before"), _("Reported after")) if reported else None
        ),
        "waits_for": {item.code: [names[d] for d in item.depends_on] for item in plan.items},
    }


@router.get("/admin/bundles/{code}", **ADMIN)
def bundle_page(code: str, request: Request, context: ContextDep, pages: Renderer) -> Response:
    """The bundle's items, dependency graph and savings, for the answers chosen (defaults else)."""
    _: Gettext = pages.gettext(request)
    catalog = context.catalog
    bundle = catalog.bundles.get(code)
    if bundle is None:
        raise NotFound(Text(f"目录中没有这件事：{code}", f"the catalogue has no bundle {code}"))
    answers, errors = _answers(request, _, picker(request), bundle)
    plan = plan_bundle(context, PlanBundle(code, context.clock.today(), {} if errors else answers))
    return pages.render(
        request,
        "admin/bundle.html",
        {
            "bundle": bundle,
            "lead": catalog.departments.get(bundle.lead_department),
            "answers": plan.answers,
            "errors": errors,
            "error_map": {e["field"]: e["message"] for e in errors},
            **bundle_context(request, catalog, plan, _),
        },
        status=422 if errors else 200,
    )


# --- ratings to rectify ------------------------------------------------------------------------


@router.get("/admin/rectifications", **ADMIN)
def all_rectifications(request: Request, context: ContextDep, pages: Renderer) -> Response:
    """Every bad rating, its department, its status and reply, earliest due first."""
    return rectifications_page(request, context, pages, "admin/rectifications.html", None)


@router.post("/admin/rectifications/{rectification_id}/reply", dependencies=CSRF, **ADMIN)
def reply(
    rectification_id: str,
    request: Request,
    context: ContextDep,
    actor: Actor,
    pages: Renderer,
    reply: Annotated[str, Form()] = "",
) -> Response:
    """Reply to the rater for the department; the rectification is closed."""
    return reply_or_show(
        request,
        context,
        actor,
        pages,
        rectification_id,
        reply,
        "admin/rectifications.html",
        None,
        "/admin/rectifications",
    )
