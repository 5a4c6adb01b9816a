"""Citizen pages from the one form to the submission (templates/citizen/):

    /events/{bundle}/form        the one merged form, pre-filled, every error beside its field
    /events/{bundle}/materials   upload only what is still needed (citizen_materials stores it)
    /events/{bundle}/check       check your answers, then submit once (an idempotency key made
                                 when the page is first shown, kept in the draft)

The submission is the API's: guide() then submit_application(), with the draft's uploads attached
and the draft deleted in the transaction that stores the application.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from yijianshi.domain.bundles import Bundle
from yijianshi.domain.catalog import Necessity
from yijianshi.domain.planning import Plan, Source
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.web.citizen_acting import (
    Acting,
    Acts,
    Posted,
    bundle_of,
    field_errors,
    first_error_map,
    first_step,
    page,
    see_other,
)
from yijianshi.entrypoints.web.deps import Renderer
from yijianshi.entrypoints.web.render import in_language
from yijianshi.services.applications.drafts import (
    KeyDraftSubmission,
    ReadDraft,
    UpdateDraft,
    check_form,
    draft_of,
    update_draft,
    with_submission_key,
)
from yijianshi.services.applications.materials import (
    FindSubmission,
    ReadDraftUploads,
    missing_uploads,
    on_paper,
    readable_size,
    submitted_with,
    to_upload,
    uploads_of_draft,
)
from yijianshi.services.applications.ports import Draft
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.errors import FormInvalid, UploadsUnavailable
from yijianshi.services.sharing.guidance import GuideApplicant, Guided, guide

router = APIRouter(include_in_schema=False)
MAX_VALUE = 200  # characters of one field


def guided(
    container: ContainerDep, acting: Acting, bundle: str, draft: Draft, prefill: bool = True
) -> Guided:
    """The API's guide(): the plan for the draft's answers and people, and (with `prefill`)
    what government holds; every read audited in the applicant's trail."""
    return guide(
        container.context,
        GuideApplicant(
            acting.actor.actor, acting.applicant, bundle, dict(draft.answers), dict(draft.people), prefill
        ),
        container.registers,
    )


def form_rows(
    container: ContainerDep, plan: Plan, values: dict[str, str]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The form's fields to type (grouped by subject in the template) and those the departments
    fill in as they work (produced upstream)."""
    elements, registers = container.catalog.elements, container.catalog.registers
    typed, upstream = [], []
    for f in plan.fields:
        source = f.prefill.source if f.prefill else None
        row = {
            "key": f.key,
            "label": f.label,
            "required": f.required and f.prefill is None,
            "element": elements.get(f.key),
            "value": values.get(f.key, ""),
            "subject": f.key.split(".", 1)[0],
            "source": source.value if source else None,
        }
        if source is Source.UPSTREAM:
            assert f.prefill is not None
            row["by"] = container.catalog.items[f.prefill.ref].name
            upstream.append(row)
            continue
        if source is Source.REGISTER and f.prefill and f.prefill.ref in registers:
            row["from"] = registers[f.prefill.ref].name
        elif source is Source.CERTIFICATE and f.prefill and f.prefill.ref in container.catalog.certificates:
            row["from"] = container.catalog.certificates[f.prefill.ref].name
        typed.append(row)
    return typed, upstream


def _form_page(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    acting: Acting,
    bundle: Bundle,
    plan: Plan,
    values: dict[str, str],
    errors: list[dict[str, str]],
    status: int = 200,
) -> Response:
    typed, upstream = form_rows(container, plan, values)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in typed:  # by the person or thing they describe, in the form's order
        groups.setdefault(row["subject"], []).append(row)
    return pages.render(
        request,
        "citizen/form.html",
        {
            "bundle": bundle,
            "groups": groups,
            "upstream": upstream,
            "errors": errors,
            "acting": acting,
            "error_for": first_error_map(errors),
            "back": acting.url(f"/events/{bundle.code}/plan"),
        },
        status=status,
    )


@page(router, "GET", "/events/{bundle}/form")
def form(request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts) -> Response:
    """The one merged form, pre-filled with what government holds and what was typed before."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle))
    held = guided(container, acting, bundle, draft)
    return _form_page(
        request, container, pages, acting, found, held.plan, {**held.values, **draft.values}, []
    )


def _too_long(request: Request, typed: dict[str, str]) -> list[dict[str, str]]:
    errors = []
    for key, value in typed.items():
        if "\x00" in value:
            errors.append(
                Problem(
                    key,
                    Text(
                        "含有不可见的空字符，请删除后重新输入",
                        "contains an invisible NUL character: delete it and type again",
                    ),
                )
            )
        elif len(value) > MAX_VALUE:
            errors.append(Problem(key, Text(f"最多{MAX_VALUE}个字", f"use at most {MAX_VALUE} characters")))
    return field_errors(request, errors)


@page(router, "POST", "/events/{bundle}/form")
def fill_form(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts, submitted: Posted
) -> Response:
    """Keep what was typed in the draft; validate it as a submission will and show every error
    at once, beside its field and in the summary."""
    found = bundle_of(request, bundle)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    held = guided(container, acting, bundle, draft)
    typed = {
        f.key: str(submitted.get(f.key, "")).strip()
        for f in held.plan.fields
        if not (f.prefill and f.prefill.source is Source.UPSTREAM) and f.key in submitted
    }
    errors = _too_long(request, typed)
    if errors:
        return _form_page(
            request, container, pages, acting, found, held.plan, {**held.values, **typed}, errors, status=422
        )
    draft = update_draft(context, UpdateDraft(replace(draft, values={**draft.values, **typed})))
    try:
        check_form(context, held.plan, {**held.values, **draft.values})
    except FormInvalid as invalid:
        update_draft(context, UpdateDraft(replace(draft, steps=draft.steps - {"form"})))
        return _form_page(
            request,
            container,
            pages,
            acting,
            found,
            held.plan,
            {**held.values, **draft.values},
            field_errors(request, invalid.errors),
            status=422,
        )
    update_draft(context, UpdateDraft(replace(draft, steps=draft.steps | {"form"})))
    following = "check" if submitted.get("change") == "1" else "materials"
    return see_other(acting.url(f"/events/{bundle}/{following}"))


def material_rows(container: ContainerDep, acting: Acting, plan: Plan, draft: Draft) -> list[dict[str, Any]]:
    """The materials to upload, each with its key, position (its input is `field-material-<n>`)
    and the upload chosen for it, if any."""
    chosen = uploads_of_draft(container.context, ReadDraftUploads(draft))
    rows = []
    for number, m in enumerate(to_upload(plan), start=1):
        key = m.key
        rows.append(
            {
                "number": number,
                "key": key,
                "name": m.name,
                "upload": chosen.get(key),
                "required": m.necessity is Necessity.REQUIRED,
                "later": m.necessity is Necessity.LATER,
            }
        )
    return rows


def materials_page(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    acting: Acting,
    bundle: Bundle,
    draft: Draft,
    errors: list[dict[str, str]],
    status: int = 200,
) -> Response:
    """The materials page (also shown again, with its errors, by the upload and submit routes)."""
    plan = guided(container, acting, bundle.code, draft, prefill=False).plan
    held = [m for m in plan.materials if m.source is not Source.APPLICANT]
    return pages.render(
        request,
        "citizen/materials.html",
        {
            "bundle": bundle,
            "rows": material_rows(container, acting, plan, draft),
            "paper": on_paper(plan),
            "held": held,
            "errors": errors,
            "error_for": first_error_map(errors),
            "acting": acting,
            "max_size": readable_size(container.context.policy.upload_max_bytes),
            "back": acting.url(f"/events/{bundle.code}/form"),
        },
        status=status,
    )


@page(router, "GET", "/events/{bundle}/materials")
def materials(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """Upload only the materials still needed; what government holds is listed as not needed."""
    found = bundle_of(request, bundle)
    draft = draft_of(container.context, ReadDraft(acting.applicant, bundle))
    return materials_page(request, container, pages, acting, found, draft, [])


def missing_errors(
    request: Request, pages: Renderer, rows: list[dict[str, Any]], missing: Sequence[str]
) -> list[dict[str, str]]:
    _ = pages.gettext(request)
    return [
        {
            "field": f"material-{r['number']}",
            "message": _("Upload %(material)s") % {"material": in_language(request, r["name"])},
        }
        for r in rows
        if r["key"] in missing
    ]


@page(router, "POST", "/events/{bundle}/materials")
def materials_done(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """Go on to check your answers once every required material is uploaded."""
    found = bundle_of(request, bundle)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    plan = guided(container, acting, bundle, draft, prefill=False).plan
    chosen = uploads_of_draft(context, ReadDraftUploads(draft))
    missing = [m.key for m in missing_uploads(plan, list(chosen))]
    if missing:
        errors = missing_errors(request, pages, material_rows(container, acting, plan, draft), missing)
        return materials_page(request, container, pages, acting, found, draft, errors, status=422)
    update_draft(context, UpdateDraft(replace(draft, steps=draft.steps | {"materials"})))
    return see_other(acting.url(f"/events/{bundle}/check"))


def _answers(bundle: Bundle, draft: Draft, acting: Acting) -> list[dict[str, Any]]:
    rows = []
    for number, q in enumerate(bundle.questions, start=1):
        option = next((o for o in q.options if o.code == draft.answers.get(q.code)), None)
        rows.append(
            {
                "question": q.text,
                "answer": option.label if option else None,
                "change": acting.url(f"/events/{bundle.code}/questions/{number}?change=1"),
            }
        )
    return rows


def _shown_value(container: ContainerDep, key: str, value: str) -> Any:
    element = container.catalog.elements.get(key)
    if element is not None and element.options:
        return next((o.label for o in element.options if o.code == value), value)
    return value


@page(router, "GET", "/events/{bundle}/check")
def check(request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts) -> Response:
    """Check your answers: every answer, person, value and upload with a Change link; Submit."""
    found = bundle_of(request, bundle)
    context = container.context
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    step = first_step(found, draft)
    if step != "check":
        return see_other(acting.url(f"/events/{bundle}/{step}"))
    draft = with_submission_key(context, KeyDraftSubmission(draft))
    held = guided(container, acting, bundle, draft)
    values = {**held.values, **draft.values}
    typed, _upstream = form_rows(container, held.plan, values)
    fields = [{**r, "shown": _shown_value(container, r["key"], r["value"])} for r in typed if r["value"]]
    return pages.render(
        request,
        "citizen/check.html",
        {
            "bundle": found,
            "acting": acting,
            "answers": _answers(found, draft, acting),
            "fields": fields,
            "people": [
                {
                    "label": container.catalog.elements[f"{s}.id_number"].label
                    if f"{s}.id_number" in container.catalog.elements
                    else s,
                    "value": v,
                }
                for s, v in draft.people.items()
            ],
            "materials": material_rows(container, acting, held.plan, draft),
            "paper": on_paper(held.plan),
            "items": [
                {
                    "name": container.catalog.items[i.code].name,
                    "department": container.catalog.departments[i.department].name,
                }
                for i in held.plan.items
            ],
            "completion": held.plan.completion,
            "key": draft.idempotency_key,
            "back": acting.url(f"/events/{bundle}/materials"),
        },
    )


@page(router, "POST", "/events/{bundle}/check")
def submit(
    request: Request, bundle: str, container: ContainerDep, pages: Renderer, acting: Acts, form: Posted
) -> Response:
    """Submit once: a retry or a double click with the same key shows the same application."""
    found = bundle_of(request, bundle)
    context = container.context
    key = str(form.get("idempotency_key", ""))
    draft = draft_of(context, ReadDraft(acting.applicant, bundle))
    if not key or draft.idempotency_key != key:  # submitted already (the draft is gone), or changed
        earlier = submitted_with(context, FindSubmission(acting.applicant, key)) if key else None
        target = f"/applications/{earlier}/confirmation" if earlier else f"/events/{bundle}/check"
        return see_other(acting.url(target))
    held = guided(container, acting, bundle, draft)
    chosen = uploads_of_draft(context, ReadDraftUploads(draft))
    asked = {m.key for m in to_upload(held.plan)}
    missing = [m.key for m in missing_uploads(held.plan, list(chosen))]
    if missing:
        errors = missing_errors(request, pages, material_rows(container, acting, held.plan, draft), missing)
        return materials_page(request, container, pages, acting, found, draft, errors, status=422)
    try:
        done = submit_application(
            context,
            SubmitApplication(
                bundle,
                acting.applicant,
                key,
                {**held.values, **draft.values},
                dict(draft.answers),
                held.holdings,
                acting.submitter,
                {k: u.id for k, u in chosen.items() if k in asked},
                from_draft=True,
            ),
        )
    except FormInvalid as invalid:
        return _form_page(
            request,
            container,
            pages,
            acting,
            found,
            held.plan,
            {**held.values, **draft.values},
            field_errors(request, invalid.errors),
            status=422,
        )
    except UploadsUnavailable as gone:
        rows = material_rows(container, acting, held.plan, draft)
        number = next((r["number"] for r in rows if r["key"] in gone.keys), 1)
        errors = [{"field": f"material-{number}", "message": in_language(request, gone.message)}]
        return materials_page(request, container, pages, acting, found, draft, errors, status=409)
    return see_other(acting.url(f"/applications/{done.application_id}/confirmation"))
