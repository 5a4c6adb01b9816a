"""Citizen pages after the submission (templates/citizen/, includes/citizen_status.html):

    /applications                                 the applicant's applications
    /applications/{id}/confirmation               the reference number and what happens next
    /applications/{id}                            status: one line per item (a task list), outputs
                                                  and certificates as they arrive, supplement
                                                  requests answered on the page, withdraw, rating
    /_partials/applications/{id}/status           the status lines, refreshed by HTMX
    /applications/{id}/certificates/{identifier}  a certificate the application issued (download)

The status is the API's audited `application_view`; the page works without JavaScript, and with
it the lines refresh every few seconds until the application is finished.
"""

from __future__ import annotations

import json
from typing import Any

from fastapi import APIRouter, Request
from starlette.datastructures import UploadFile
from starlette.responses import Response

from yijianshi.domain.catalog import Catalog
from yijianshi.domain.certificate_documents import signed_document
from yijianshi.domain.ratings import RatingLevel
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.web.citizen_acting import (
    Acting,
    Acts,
    Posted,
    field_errors,
    first_error_map,
    page,
    see_other,
)
from yijianshi.entrypoints.web.deps import Renderer
from yijianshi.entrypoints.web.errors import refusal_beside, refusal_status
from yijianshi.entrypoints.web.render import in_language
from yijianshi.services.applications.materials import (
    DiscardUploads,
    DownloadApplicationCertificate,
    ListIssuedCertificates,
    UploadMaterial,
    application_certificate,
    discard_uploads,
    issued_certificates,
    upload_material,
)
from yijianshi.services.applications.queries import (
    ListApplications,
    ReadApplicationVersion,
    ViewApplication,
    application_version,
    application_view,
    applications_of,
)
from yijianshi.services.cases.actions import (
    SupplementCase,
    WithdrawApplication,
    supplement_case,
    withdraw_application,
)
from yijianshi.services.cases.ratings import (
    RATEABLE,
    RateApplication,
    ReadRating,
    rate_application,
    rating_of,
)
from yijianshi.services.errors import FormInvalid, NotFound, ServiceError

router = APIRouter(include_in_schema=False)
FINISHED = {"completed", "partially_completed", "rejected", "withdrawn"}  # application statuses
CLOSED = {"completed", "rejected", "blocked", "withdrawn"}  # case states
REFRESH_SECONDS = 5


def output_rows(catalog: Catalog, outputs: dict[str, Any]) -> list[tuple[Text, Any]]:
    """An item's outputs as label and value: a data element's label (an option's label for a
    coded value), or for a certificate number `certificate.<type>.<subject>` the type's name."""
    rows: list[tuple[Text, Any]] = []
    for key, value in outputs.items():
        element = catalog.elements.get(key)
        kind = key.split(".")[1] if key.startswith("certificate.") and key.count(".") >= 2 else None
        if element is not None:
            shown = next((o.label for o in element.options if o.code == str(value)), value)
            rows.append((element.label, shown))
        elif kind in catalog.certificates:
            name = catalog.certificates[kind].name
            rows.append((Text(f"{name.zh}编号", f"{name.en} number"), value))
        else:
            rows.append((Text(key, key), value))
    return rows


def status_context(container: ContainerDep, acting: Acting, application_id: str) -> dict[str, Any]:
    """What the status lines show: the audited view, the certificates issued by case, labels."""
    context = container.context
    view = application_view(context, ViewApplication(acting.actor, acting.applicant, application_id))
    issued: dict[str, list[Any]] = {}
    for found in issued_certificates(context, ListIssuedCertificates(acting.applicant, application_id)):
        issued.setdefault(found.case_id, []).append(found)
    catalog = container.catalog
    return {
        "view": view,
        "issued": issued,
        "acting": acting,
        "finished": view.row.status in FINISHED,
        "outputs": {c.id: output_rows(catalog, c.outputs) for c in view.cases},
        "certificate_names": {k: c.name for k, c in catalog.certificates.items()},
        "refresh": REFRESH_SECONDS,
        "here": acting.url(f"/applications/{application_id}"),
        "partial_url": acting.partial(f"/applications/{application_id}/status")
        + f"?since={view.row.version}",
    }


def _status_page(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    acting: Acting,
    application_id: str,
    errors: list[dict[str, str]],
    typed: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    shown = status_context(container, acting, application_id)
    view = shown["view"]
    items = container.catalog.items
    supplements = [
        {
            "case": c,
            "fields": [
                {
                    "key": f.key,
                    "name": f"{c.id}.{f.key}",
                    "label": container.catalog.elements[f.key].label
                    if f.key in container.catalog.elements
                    else Text(f.key, f.key),
                    "element": container.catalog.elements.get(f.key),
                    "value": (typed or {}).get(f"{c.id}.{f.key}", str(view.data.get(f.key, ""))),
                }
                for f in items[c.item].fields
            ],
            "materials": [
                {
                    "key": m.key,
                    "name": m.name,
                    "field": f"{c.id}.file.{n}",
                    "key_field": f"{c.id}.material.{n}",
                }
                for n, m in enumerate(items[c.item].materials)
            ],
        }
        for c in view.cases
        if c.state == "supplement_requested"
    ]
    rated = (
        rating_of(container.context, ReadRating(acting.applicant, application_id))
        if view.row.status in RATEABLE
        else None
    )
    return pages.render(
        request,
        "citizen/status.html",
        {
            **shown,
            "supplements": supplements,
            "errors": errors,
            "error_for": first_error_map(errors),
            "rated": rated,
            "rateable": view.row.status in RATEABLE,
            "open": any(c.state not in CLOSED for c in view.cases),
            "back": acting.url("/applications"),
        },
        status=status,
    )


@page(router, "GET", "/applications")
def applications(request: Request, container: ContainerDep, pages: Renderer, acting: Acts) -> Response:
    rows = applications_of(container.context, ListApplications(acting.applicant))
    return pages.render(
        request,
        "citizen/applications.html",
        {"rows": rows, "bundles": container.catalog.bundles, "acting": acting},
    )


@page(router, "GET", "/applications/{application_id}")
def status(
    request: Request, application_id: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """One line per item: its state, department, deadline, outputs and certificates."""
    return _status_page(request, container, pages, acting, application_id, [])


@page(router, "GET", "/_partials/applications/{application_id}/status")
def status_lines(
    request: Request,
    application_id: str,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    since: int | None = None,
) -> Response:
    """The status lines alone, for HTMX to swap in; 204 (nothing to swap, nothing read) while the
    application is still at version `since`, so an open page does not fill the trail with reads."""
    if since is not None and since == application_version(
        container.context, ReadApplicationVersion(acting.applicant, application_id)
    ):
        return Response(status_code=204)
    shown = status_context(container, acting, application_id)
    return pages.render(request, "includes/citizen_status.html", shown)


@page(router, "GET", "/applications/{application_id}/confirmation")
def confirmation(
    request: Request, application_id: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """The reference number and what happens next (for a clerk, the receipt to print)."""
    view = application_view(
        container.context, ViewApplication(acting.actor, acting.applicant, application_id)
    )
    return pages.render(
        request,
        "citizen/confirmation.html",
        {
            "view": view,
            "acting": acting,
            "status_url": acting.url(f"/applications/{application_id}"),
            "receipt_url": acting.url(f"/applications/{application_id}/receipt.pdf")
            if acting.clerk
            else None,
        },
    )


@page(router, "POST", "/applications/{application_id}/cases/{case_id}/supplement")
def supplement(
    request: Request,
    application_id: str,
    case_id: str,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    form: Posted,
) -> Response:
    """Answer a supplement request (补正) on the status page, with corrected fields and added
    files (multipart); the item's clock resumes. A refused file is shown beside its input, and
    what was uploaded for a supplement that is refused is deleted again."""
    prefix = f"{case_id}."
    typed = {
        k: str(v).strip()
        for k, v in form.items()
        if k.startswith(prefix) and isinstance(v, str) and not _is_material_field(k, prefix)
    }
    values = {k[len(prefix) :]: v for k, v in typed.items() if v}
    files = {
        k: v
        for k, v in form.items()
        if k.startswith(f"{prefix}file.") and isinstance(v, UploadFile) and (v.filename or v.size)
    }
    if not values and not files:
        _ = pages.gettext(request)
        first = next(iter(typed), f"{prefix}values")
        errors = [{"field": first, "message": _("Enter what the department asked for")}]
        return _status_page(request, container, pages, acting, application_id, errors, typed, status=422)
    # each file input's material, named by the hidden field beside it (`<case>.material.<n>`)
    material_of = {name: str(form.get(name.replace(".file.", ".material.", 1), "")) for name in files}
    context, limit = container.context, container.context.policy.upload_max_bytes
    made: dict[str, str] = {}  # material key -> upload id
    uploading: str | None = None  # the file input whose upload is under way
    try:
        for uploading, file in files.items():
            key = material_of[uploading]
            stored = upload_material(
                context,
                UploadMaterial(
                    acting.applicant,
                    acting.actor.actor,
                    key,
                    file.filename or "",
                    file.content_type or "",
                    file.file.read(limit + 1),
                ),
            )
            made[key] = stored.id
        uploading = None
        supplement_case(
            context, SupplementCase(acting.actor, acting.applicant, application_id, case_id, values, made)
        )
    except FormInvalid as invalid:
        discard_uploads(context, DiscardUploads(acting.applicant, list(made.values())))
        errors = field_errors(request, invalid.errors, prefix)
        return _status_page(request, container, pages, acting, application_id, errors, typed, status=422)
    except ServiceError as refused:
        discard_uploads(context, DiscardUploads(acting.applicant, list(made.values())))
        if isinstance(refused, NotFound) or (refused.field is None and uploading is None):
            raise
        errors = [
            {
                "field": uploading or _field_of(refused.field or "", prefix, material_of),
                "message": in_language(request, refused.message),
            }
        ]
        return _status_page(
            request, container, pages, acting, application_id, errors, typed, status=refusal_status(refused)
        )
    return see_other(acting.url(f"/applications/{application_id}#case-{case_id}"))


@page(router, "GET", "/applications/{application_id}/withdraw")
def confirm_withdrawal(
    request: Request, application_id: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """Ask before withdrawing; an application with nothing left open goes back to its status."""
    view = application_view(
        container.context, ViewApplication(acting.actor, acting.applicant, application_id)
    )
    if all(c.state in CLOSED for c in view.cases):
        return see_other(acting.url(f"/applications/{application_id}"))
    return pages.render(
        request,
        "citizen/withdraw.html",
        {"view": view, "acting": acting, "back": acting.url(f"/applications/{application_id}")},
    )


@page(router, "POST", "/applications/{application_id}/withdraw")
def withdraw(application_id: str, container: ContainerDep, acting: Acts) -> Response:
    """Withdraw every item not finished yet (after the confirmation page)."""
    withdraw_application(
        container.context, WithdrawApplication(acting.actor, acting.applicant, application_id)
    )
    return see_other(acting.url(f"/applications/{application_id}"))


def _rating_page(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    acting: Acting,
    application_id: str,
    errors: list[dict[str, str]],
    typed: dict[str, str],
    status: int = 200,
) -> Response:
    view = application_view(
        container.context, ViewApplication(acting.actor, acting.applicant, application_id)
    )
    return pages.render(
        request,
        "citizen/rating.html",
        {
            "view": view,
            "acting": acting,
            "levels": list(RatingLevel),
            "errors": errors,
            "error_for": first_error_map(errors),
            "typed": typed,
            "back": acting.url(f"/applications/{application_id}"),
        },
        status=status,
    )


@page(router, "GET", "/applications/{application_id}/rating")
def rating(
    request: Request, application_id: str, container: ContainerDep, pages: Renderer, acting: Acts
) -> Response:
    """Rate a finished application (好差评): five levels, a comment, optionally one item."""
    if rating_of(container.context, ReadRating(acting.applicant, application_id)) is not None:
        return see_other(acting.url(f"/applications/{application_id}#rating"))
    return _rating_page(request, container, pages, acting, application_id, [], {})


@page(router, "POST", "/applications/{application_id}/rating")
def rate(
    request: Request,
    application_id: str,
    container: ContainerDep,
    pages: Renderer,
    acting: Acts,
    form: Posted,
) -> Response:
    typed = {k: str(form.get(k, "")) for k in ("level", "comment", "item")}
    if typed["level"] not in {level.value for level in RatingLevel}:
        _ = pages.gettext(request)
        errors = [{"field": "level", "message": _("Select how satisfied you are")}]
        return _rating_page(request, container, pages, acting, application_id, errors, typed, status=422)
    try:
        rate_application(
            container.context,
            RateApplication(
                acting.actor,
                acting.applicant,
                application_id,
                RatingLevel(typed["level"]),
                typed["comment"].strip(),
                typed["item"] or None,
            ),
        )
    except ServiceError as refused:
        if refused.field is None:
            raise
        errors = refusal_beside(request, refused, refused.field)
        return _rating_page(
            request, container, pages, acting, application_id, errors, typed, status=refusal_status(refused)
        )
    return see_other(acting.url(f"/applications/{application_id}#rating"))


@page(router, "GET", "/applications/{application_id}/certificates/{identifier}")
def certificate(application_id: str, identifier: str, container: ContainerDep, acting: Acts) -> Response:
    """A certificate the application issued, as signed (verify it offline with
    `yijianshi certificate verify FILE`); the download is audited."""
    signed = application_certificate(
        container.context,
        DownloadApplicationCertificate(acting.actor, acting.applicant, application_id, identifier),
    )
    body = json.dumps(signed_document(signed), ensure_ascii=False, indent=2).encode()
    return Response(
        body,
        media_type="application/json",
        headers={
            "Content-Disposition": f'attachment; filename="{signed.certificate.certificate_type}.json"',
            "Cache-Control": "no-store",
        },
    )


def _is_material_field(name: str, prefix: str) -> bool:
    """The hidden field naming the material of a supplement's file input (`<case>.material.<n>`)."""
    return name.startswith(f"{prefix}material.")


def _field_of(refused: str, prefix: str, material_of: dict[str, str]) -> str:
    """The page's input a refusal of `supplement_case` names: a field, or the file of a material."""
    if refused.startswith("materials."):
        key = refused.removeprefix("materials.")
        return next((name for name, material in material_of.items() if material == key), f"{prefix}values")
    return prefix + refused.removeprefix("values.")
