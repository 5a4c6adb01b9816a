"""Pages of department staff (templates/department/): the worklist, a case, ratings to rectify.

Staff see their own department's cases only, each minimised to its item's fields and materials,
through the same queries and decisions as the API (`worklist`, `case_detail`,
`department_decision`). A case of another department is answered as one that does not exist
(404), and the refused read is in the application's trail. Every decision is a POST form that
redirects back to the case with what was done (post/redirect/get); a decision the case's state
does not allow, or a form with errors, shows the case again with the message beside its field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Request
from starlette.responses import RedirectResponse, Response

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.cases import CaseState, Colour
from yijianshi.domain.catalog import Catalog, ValueType
from yijianshi.domain.errors import IllegalTransition
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContextDep
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.entrypoints.web.deps import CSRF, Renderer
from yijianshi.entrypoints.web.errors import refusal_status
from yijianshi.entrypoints.web.render import Pages, in_language
from yijianshi.services.applications.queries import CaseDetail, ListWorklist, ViewCase, case_detail, worklist
from yijianshi.services.cases.actions import DecideCase, department_decision
from yijianshi.services.cases.ratings import (
    ListRectifications,
    ReplyToRectification,
    rated_rectifications,
    reply_to_rectification,
)
from yijianshi.services.context import Context
from yijianshi.services.errors import Conflict, Invalid, OutputsInvalid

router = APIRouter(include_in_schema=False)
STAFF = who(Role.DEPARTMENT)
FILTER_STATES = (
    CaseState.SENT,
    CaseState.ACCEPTED,
    CaseState.SUPPLEMENT_REQUESTED,
    CaseState.COMPLETED,
    CaseState.REJECTED,
    CaseState.WITHDRAWN,
)
DONE = ("accepted", "supplement_requested", "completed", "rejected")
Gettext = Callable[[str], str]  # `_` of the reader's language


async def form_values(request: Request) -> dict[str, str]:
    """Every text field of a posted form (a completion's outputs are named by the item)."""
    form = await request.form()
    return {k: v for k, v in form.items() if isinstance(v, str)}


FormValues = Annotated[dict[str, str], Depends(form_values)]


# --- labels shared by the department's and the administrator's pages ----------------------------


def state_labels(_: Gettext) -> dict[str, str]:
    """What each case state is called on the pages."""
    return {
        "waiting": _("Waiting for another item"),
        "ready": _("Ready to send"),
        "sent": _("Received"),
        "accepted": _("Accepted"),
        "supplement_requested": _("Supplement requested"),
        "completed": _("Completed"),
        "rejected": _("Rejected"),
        "blocked": _("Blocked"),
        "withdrawn": _("Withdrawn"),
    }


def colour_labels(_: Gettext) -> dict[str, str]:
    """Deadline colours in words (红黄牌): never told by colour alone."""
    return {"green": _("On time"), "yellow": _("Due soon"), "red": _("Overdue")}


def event_labels(_: Gettext) -> dict[str, str]:
    """A case's changes as its history lists them."""
    return {
        "ready": _("Ready: everything it needs is there"),
        "sent": _("Sent to the department"),
        "accepted": _("Accepted (受理): the time limit starts"),
        "supplement_requested": _("Supplement requested (补正): the clock stops"),
        "supplemented": _("Supplement provided: the clock runs again"),
        "completed": _("Completed (办结)"),
        "rejected": _("Rejected"),
        "blocked": _("Blocked"),
        "withdrawn": _("Withdrawn by the applicant"),
        "deferred": _("Deferred (甩项后置)"),
        "time_limit_warning": _("Time limit: 80% used"),
        "time_limit_breached": _("Time limit passed"),
    }


TEXT_LIMIT = 500  # characters of a request, reason or reply, as the API allows


def text_problem(_: Gettext, value: str, required: bool) -> str | None:
    """What is wrong with a free text a member of staff typed, or None."""
    if required and not value.strip():
        return str(_("Enter the text"))
    if len(value) > TEXT_LIMIT:
        return str(
            _("Write at most %(limit)d characters (you wrote %(count)d)")
            % {"limit": TEXT_LIMIT, "count": len(value)}
        )
    if any(ord(ch) < 32 and ch not in "\n\r\t" for ch in value):
        return str(_("Remove the control characters (such as NUL) from the text"))
    return None


# --- the worklist ------------------------------------------------------------------------------


def _filters(_: Gettext, state: str, colour: str) -> tuple[str | None, Colour | None, list[dict[str, str]]]:
    errors = []
    if state and state not in {s.value for s in FILTER_STATES}:
        errors.append({"field": "state", "message": _("Choose a state from the list")})
    if colour and colour not in {c.value for c in Colour}:
        errors.append({"field": "colour", "message": _("Choose a deadline from the list")})
    return (state or None if not errors else None, Colour(colour) if colour and not errors else None, errors)


def _worklist_context(
    request: Request, context: Context, actor: Principal, pages: Pages, state: str, colour: str
) -> tuple[dict[str, Any], int]:
    _: Gettext = pages.gettext(request)
    chosen_state, chosen_colour, errors = _filters(_, state, colour)
    found = (
        [] if errors else worklist(context, ListWorklist(actor.department or "", chosen_state, chosen_colour))
    )
    catalog = context.catalog
    department = catalog.departments.get(actor.department or "")
    return {
        "department": department.name if department else Text(actor.department or "", actor.department or ""),
        "work": found,
        "bundles": {code: b.name for code, b in catalog.bundles.items()},
        "state": state if not errors else "",
        "colour": colour if not errors else "",
        "states": [(s.value, state_labels(_)[s.value]) for s in FILTER_STATES],
        "colours": [(c.value, colour_labels(_)[c.value]) for c in Colour],
        "state_labels": state_labels(_),
        "colour_labels": colour_labels(_),
        "errors": errors,
        "error_map": {e["field"]: e["message"] for e in errors},
        "filtered": bool(chosen_state or chosen_colour),
    }, 422 if errors else 200


@router.get("/department", **STAFF)
def worklist_page(
    request: Request, context: ContextDep, actor: Actor, pages: Renderer, state: str = "", colour: str = ""
) -> Response:
    """Cases that reached the department, most urgent deadline first, filtered by state and colour."""
    shown, status = _worklist_context(request, context, actor, pages, state, colour)
    return pages.render(request, "department/worklist.html", shown, status=status)


@router.get("/_partials/department/worklist", **STAFF)
def worklist_partial(
    request: Request, context: ContextDep, actor: Actor, pages: Renderer, state: str = "", colour: str = ""
) -> Response:
    """The worklist's table for HTMX; the address bar shows the page with the same filters."""
    shown, status = _worklist_context(request, context, actor, pages, state, colour)
    query = urlencode({k: v for k, v in (("state", shown["state"]), ("colour", shown["colour"])) if v})
    return pages.render(
        request,
        "includes/department_worklist.html",
        shown,
        status=status,
        headers={"HX-Push-Url": "/department" + (f"?{query}" if query else "")},
    )


# --- a case ------------------------------------------------------------------------------------


def output_fields(catalog: Catalog, item_code: str) -> list[dict[str, Any]]:
    """The inputs of the completion form: each output data element of the item (required), and
    the number of each certificate it issues when no output carries it (optional)."""
    item = catalog.items[item_code]
    fields: list[dict[str, Any]] = []
    for key in item.outputs:
        element = catalog.elements.get(key)
        fields.append(
            {
                "key": key,
                "label": element.label if element else Text(key, key),
                "required": True,
                "type": element.type.value if element else ValueType.TEXT.value,
                "options": element.options if element else (),
            }
        )
    for produced in item.issues:
        kind = catalog.certificates.get(produced.certificate)
        if kind is None or f"{produced.subject}.{kind.code}_no" in item.outputs:
            continue
        fields.append(
            {
                "key": f"certificate.{kind.code}.{produced.subject}",
                "label": kind.name,
                "required": False,
                "type": "certificate_number",
                "options": (),
            }
        )
    return fields


def _shown_fields(catalog: Catalog, item_code: str, values: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The case's fields in the item's order, labelled, enumerations shown by their label."""
    shown = []
    for form_field in catalog.items[item_code].fields:
        element = catalog.elements.get(form_field.key)
        value = values.get(form_field.key)
        option = next((o.label for o in element.options if o.code == str(value)), None) if element else None
        shown.append(
            {
                "key": form_field.key,
                "label": element.label if element else Text(form_field.key, form_field.key),
                "value": option if option is not None else ("" if value is None else str(value)),
            }
        )
    return shown


def _case_page(
    request: Request,
    context: Context,
    actor: Principal,
    pages: Pages,
    case_id: str,
    status: int = 200,
    errors: list[dict[str, str]] | None = None,
    values: Mapping[str, str] | None = None,
    problem: str | None = None,
) -> Response:
    _: Gettext = pages.gettext(request)
    detail: CaseDetail = case_detail(context, ViewCase(actor, case_id))
    catalog = context.catalog
    done = request.query_params.get("done")
    return pages.render(
        request,
        "department/case.html",
        {
            "detail": detail,
            "case": detail.case,
            "bundle_name": catalog.bundles[detail.bundle].name if detail.bundle in catalog.bundles else None,
            "fields": _shown_fields(catalog, detail.case.item, detail.minimised.fields),
            "output_fields": output_fields(catalog, detail.case.item),
            "outputs": dict(detail.case.outputs),
            "elements": catalog.elements,
            "state_labels": state_labels(_),
            "colour_labels": colour_labels(_),
            "event_labels": event_labels(_),
            "actor_label": lambda actor_id: _actor_label(_, actor_id),
            "done": done if done in DONE and status == 200 else None,
            "errors": errors or [],
            "error_map": {e["field"]: e["message"] for e in errors or []},
            "values": dict(values or {}),
            "problem": problem,
        },
        status=status,
    )


def _actor_label(_: Gettext, actor: str) -> str:
    """Who did it, without naming an applicant's account (minimisation)."""
    role, _sep, account = actor.partition(":")
    if role == "applicant":
        return _("The applicant")
    if role == "clerk":
        return _("A window clerk for the applicant")
    if role == "system" or not account:
        return _("The platform")
    return actor


def _illegal(_: Gettext, action: str, state: str) -> str:
    label = state_labels(_).get(state, state)
    if action == "complete" and state == CaseState.SENT.value:
        return _("Accept the case before you complete it.")
    if action == "request_supplement" and state == CaseState.SENT.value:
        return _("Accept the case before you ask the applicant for a supplement.")
    return _(
        "This case is now “%(state)s”, so this cannot be done any more. The page shows its state now."
    ) % {"state": label}


def _decide(
    request: Request,
    context: Context,
    actor: Principal,
    pages: Pages,
    case_id: str,
    action: str,
    text: Text | None = None,
    outputs: Mapping[str, str] | None = None,
    values: Mapping[str, str] | None = None,
) -> Response:
    """Apply the decision and go back to the case; show the case again with what went wrong."""
    _: Gettext = pages.gettext(request)
    try:
        department_decision(context, DecideCase(actor, case_id, action, text, outputs))
    except IllegalTransition as illegal:
        return _case_page(
            request,
            context,
            actor,
            pages,
            case_id,
            status=409,
            values=values,
            problem=_illegal(_, action, illegal.state),
        )
    except OutputsInvalid as invalid:
        errors = [
            {"field": f"outputs.{e.where}", "message": in_language(request, e.message)}
            for e in invalid.errors
        ]
        return _case_page(request, context, actor, pages, case_id, status=422, errors=errors, values=values)
    done = {
        "accept": "accepted",
        "request_supplement": "supplement_requested",
        "complete": "completed",
        "reject": "rejected",
    }[action]
    return RedirectResponse(f"/department/cases/{case_id}?done={done}#main", status_code=303)


@router.get("/department/cases/{case_id}", **STAFF)
def case_page(case_id: str, request: Request, context: ContextDep, actor: Actor, pages: Renderer) -> Response:
    """The case with only its item's fields and materials (the read is audited), its history and
    the decisions its state allows."""
    return _case_page(request, context, actor, pages, case_id)


@router.post("/department/cases/{case_id}/accept", dependencies=CSRF, **STAFF)
def accept(case_id: str, request: Request, context: ContextDep, actor: Actor, pages: Renderer) -> Response:
    """受理: the time limit starts today."""
    return _decide(request, context, actor, pages, case_id, "accept")


def _texts(
    request: Request, pages: Pages, prefix: str, zh: str, en: str
) -> tuple[Text | None, list[dict[str, str]]]:
    """A request or reason in Chinese (required) and English (optional: the Chinese stands in)."""
    _: Gettext = pages.gettext(request)
    errors = []
    for key, value, required in ((f"{prefix}_zh", zh, True), (f"{prefix}_en", en, False)):
        found = text_problem(_, value, required)
        if found:
            errors.append({"field": key, "message": found})
    if errors:
        return None, errors
    return Text(zh.strip(), en.strip() or zh.strip()), []


@router.post("/department/cases/{case_id}/supplement-request", dependencies=CSRF, **STAFF)
def request_supplement(
    case_id: str,
    request: Request,
    context: ContextDep,
    actor: Actor,
    pages: Renderer,
    request_zh: Annotated[str, Form()] = "",
    request_en: Annotated[str, Form()] = "",
) -> Response:
    """补正: ask the applicant for something; the clock stops until they answer."""
    values = {"request_zh": request_zh, "request_en": request_en}
    text, errors = _texts(request, pages, "request", request_zh, request_en)
    if text is None:
        return _case_page(request, context, actor, pages, case_id, status=422, errors=errors, values=values)
    return _decide(request, context, actor, pages, case_id, "request_supplement", text, values=values)


@router.post("/department/cases/{case_id}/complete", dependencies=CSRF, **STAFF)
def complete(
    case_id: str, request: Request, context: ContextDep, actor: Actor, pages: Renderer, form: FormValues
) -> Response:
    """办结 with the item's outputs: they flow to the items waiting for them."""
    prefix = "outputs."
    given = {k.removeprefix(prefix): v.strip() for k, v in form.items() if k.startswith(prefix)}
    outputs = {k: v for k, v in given.items() if v}  # an empty certificate number: numbered automatically
    values = {f"{prefix}{k}": v for k, v in given.items()}
    return _decide(request, context, actor, pages, case_id, "complete", outputs=outputs, values=values)


@router.post("/department/cases/{case_id}/reject", dependencies=CSRF, **STAFF)
def reject(
    case_id: str,
    request: Request,
    context: ContextDep,
    actor: Actor,
    pages: Renderer,
    reason_zh: Annotated[str, Form()] = "",
    reason_en: Annotated[str, Form()] = "",
) -> Response:
    """不予受理 / refuse, with a reason the applicant reads; items waiting for this one are blocked."""
    values = {"reason_zh": reason_zh, "reason_en": reason_en}
    text, errors = _texts(request, pages, "reason", reason_zh, reason_en)
    if text is None:
        return _case_page(request, context, actor, pages, case_id, status=422, errors=errors, values=values)
    return _decide(request, context, actor, pages, case_id, "reject", text, values=values)


# --- ratings to rectify ------------------------------------------------------------------------


def rectifications_page(
    request: Request,
    context: Context,
    pages: Pages,
    template: str,
    department: str | None,
    status: int = 200,
    errors: list[dict[str, str]] | None = None,
    values: Mapping[str, str] | None = None,
) -> Response:
    """The rectifications (of one department, or all) with their ratings and reply forms."""
    catalog = context.catalog
    return pages.render(
        request,
        template,
        {
            "found": rated_rectifications(context, ListRectifications(department)),
            "departments": {code: d.name for code, d in catalog.departments.items()},
            "items": {code: i.name for code, i in catalog.items.items()},
            "today": context.clock.today(),
            "errors": errors or [],
            "error_map": {e["field"]: e["message"] for e in errors or []},
            "values": dict(values or {}),
            "replied": request.query_params.get("replied"),
        },
        status=status,
    )


def reply_or_show(
    request: Request,
    context: Context,
    actor: Principal,
    pages: Pages,
    rectification_id: str,
    reply: str,
    template: str,
    department: str | None,
    back: str,
) -> Response:
    """Record the reply and go back to the list; show the list again with the problem beside the
    reply's field (empty, too long, replied already)."""
    _: Gettext = pages.gettext(request)
    field = f"reply-{rectification_id}"
    found, status = text_problem(_, reply, True), 422
    if found is None:
        try:
            reply_to_rectification(context, ReplyToRectification(actor, rectification_id, reply.strip()))
        except (Conflict, Invalid) as refused:
            found, status = in_language(request, refused.message), refusal_status(refused)
    if found is not None:
        return rectifications_page(
            request,
            context,
            pages,
            template,
            department,
            status,
            errors=[{"field": field, "message": found}],
            values={field: reply},
        )
    return RedirectResponse(
        f"{back}?replied={rectification_id}#rectification-{rectification_id}", status_code=303
    )


@router.get("/department/rectifications", **STAFF)
def my_rectifications(request: Request, context: ContextDep, actor: Actor, pages: Renderer) -> Response:
    """Bad ratings of this department to rectify (整改), earliest due first."""
    return rectifications_page(
        request, context, pages, "department/rectifications.html", actor.department or ""
    )


@router.post("/department/rectifications/{rectification_id}/reply", dependencies=CSRF, **STAFF)
def reply(
    rectification_id: str,
    request: Request,
    context: ContextDep,
    actor: Actor,
    pages: Renderer,
    reply: Annotated[str, Form()] = "",
) -> Response:
    """Reply to the rater; the rectification is closed."""
    return reply_or_show(
        request,
        context,
        actor,
        pages,
        rectification_id,
        reply,
        "department/rectifications.html",
        actor.department or "",
        "/department/rectifications",
    )
