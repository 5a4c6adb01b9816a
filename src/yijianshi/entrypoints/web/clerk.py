"""Pages of the window clerk (无差别受理, templates/clerk/): find or register an applicant, the
applicant's page, and the receipt of acceptance (受理回执) as a PDF.

    /clerk                          find an applicant: resident ID number (checked), account or name
    POST /clerk/applicants          register an applicant found by nobody: initial password shown once
    /clerk/for/{account}            who they are, their applications, the life events to start
    /clerk/for/{account}/applications/{id}/receipt.pdf

The clerk acts for the applicant named in the URL; the citizen's pages under /clerk/for/{account}/
(start a life event, an application's status) are the citizen area's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Form, Request
from starlette.responses import Response

from yijianshi.domain.accounts import Role
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.api.security import Actor, who
from yijianshi.entrypoints.web import receipt as pdf
from yijianshi.entrypoints.web.deps import CSRF, Renderer
from yijianshi.entrypoints.web.render import Pages, in_language, language
from yijianshi.services.accounts import registration
from yijianshi.services.accounts.applicant_lookup import (
    RecordLookup,
    RecordRegistration,
    record_lookup,
    record_registration,
)
from yijianshi.services.accounts.local_accounts import (
    FindApplicants,
    ReadApplicant,
    applicant,
    find_applicants,
)
from yijianshi.services.accounts.ports import Account, Identity
from yijianshi.services.accounts.registration import (
    RegisterApplicant,
    id_number_error,
    masked_id_number,
    normal_id_number,
)
from yijianshi.services.applications.queries import ListApplications, ViewReceipt, applications_of, receipt
from yijianshi.services.errors import NotFound, RegistrationInvalid

router = APIRouter(include_in_schema=False)
CLERK = who(Role.CLERK)
SHOWN = 20  # results on one page; more means "narrow the search"
LONGEST_QUERY = 100
NO_APPLICANT = Text("没有这位申请人", "no such applicant")
# Digits that look like a resident ID number (15 or more; an 11-digit mobile account is no ID).
_ID_LIKE = re.compile(r"^\d{14,}[\dX]$|^\d{17}.$")


@dataclass
class Search:
    """What the clerk typed, what it was taken for, and what was found."""

    query: str = ""
    kind: str = ""  # id_number | text | "" (nothing asked yet)
    error: Text | None = None
    found: list[Account] = field(default_factory=list)
    more: bool = False


def search(identity: Identity, query: str) -> Search:
    """Look the query up as a resident ID number (checked first) or as an account name or a name."""
    typed = query.strip()
    if not typed:
        return Search()
    if len(typed) > LONGEST_QUERY:
        return Search(
            typed[:LONGEST_QUERY],
            "text",
            Text(f"最多输入{LONGEST_QUERY}个字符", f"enter at most {LONGEST_QUERY} characters"),
        )
    id_number = normal_id_number(typed)
    if _ID_LIKE.match(id_number):
        problem = id_number_error(id_number)
        if problem is not None:
            return Search(typed, "id_number", problem)
        found = find_applicants(identity, FindApplicants(id_number=id_number, limit=SHOWN + 1))
        return Search(id_number, "id_number", None, found[:SHOWN], len(found) > SHOWN)
    found = find_applicants(identity, FindApplicants(text=typed, limit=SHOWN + 1))
    return Search(typed, "text", None, found[:SHOWN], len(found) > SHOWN)


def person(account: Account) -> dict[str, str]:
    """An applicant as clerks' pages show them: never the whole ID number."""
    return {
        "account": account.account,
        "name": account.name,
        "id_number": masked_id_number(account.id_number),
        "href": f"/clerk/for/{quote(account.account, safe='')}",
    }


def say(request: Request, text: Text) -> str:
    """A service's message in the reader's language, as a sentence on a page."""
    shown = in_language(request, text)
    return shown if language(request) != "en" else shown[:1].upper() + shown[1:]


def field_errors(request: Request, errors: list[Problem[str]]) -> dict[str, str]:
    """Each field's message, in the reader's language."""
    return {e.where: say(request, e.message) for e in errors}


def _find_page(
    request: Request,
    pages: Pages,
    found: Search,
    register: dict[str, Any] | None = None,
    status: int | None = None,
) -> Response:
    q_error = say(request, found.error) if found.error else ""
    errors = [{"field": "q", "message": q_error}] if q_error else []
    offer = register
    if offer is None and found.kind == "id_number" and not found.error and not found.found:
        offer = {"values": {"name": "", "id_number": found.query, "mobile": ""}, "errors": {}}
    if offer and offer["errors"]:
        errors += [{"field": key, "message": message} for key, message in offer["errors"].items()]
    return pages.render(
        request,
        "clerk/find.html",
        {
            "search": found,
            "q_error": q_error,
            "people": [person(a) for a in found.found],
            "errors": errors,
            "register": offer,
            "shown": SHOWN,
        },
        status=status or (422 if errors else 200),
    )


@router.get("/clerk", **CLERK)
def find_applicant(
    request: Request, container: ContainerDep, pages: Renderer, actor: Actor, q: str = ""
) -> Response:
    """Find or identify an applicant (无差别受理): by ID number, account name or part of the name.
    Each applicant shown is a read recorded in their trail."""
    found = search(container.identity, q)
    record_lookup(container.context, RecordLookup(actor, found.kind, found.found))
    return _find_page(request, pages, found)


@router.post("/clerk/applicants", dependencies=CSRF, **CLERK)
def register_applicant(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    actor: Actor,
    name: Annotated[str, Form(max_length=1000)] = "",
    id_number: Annotated[str, Form(max_length=1000)] = "",
    mobile: Annotated[str, Form(max_length=1000)] = "",
) -> Response:
    """Register an applicant who came in person; their initial password is shown once."""
    try:
        made = registration.register_applicant(container.identity, RegisterApplicant(name, id_number, mobile))
    except RegistrationInvalid as invalid:
        values = {"name": name, "id_number": id_number, "mobile": mobile}
        offer = {"values": values, "errors": field_errors(request, invalid.errors)}
        return _find_page(request, pages, Search(), offer, status=422)
    record_registration(container.context, RecordRegistration(actor, made.account))
    return pages.render(
        request,
        "clerk/registered.html",
        {"person": person(made.account), "password": made.password},
        status=201,
    )


def _applicant(identity: Identity, account: str) -> Account:
    found = applicant(identity, ReadApplicant(account))
    if found is None:
        raise NotFound(NO_APPLICANT)
    return found


@router.get("/clerk/for/{account}", **CLERK)
def applicant_page(account: str, request: Request, container: ContainerDep, pages: Renderer) -> Response:
    """The applicant the clerk acts for: who they are, their applications, what to start."""
    found = _applicant(container.identity, account)
    rows = applications_of(container.context, ListApplications(found.account))
    bundles = container.catalog.bundles
    return pages.render(
        request,
        "clerk/applicant.html",
        {
            "person": person(found),
            "applications": [
                {"row": r, "bundle": bundles[r.bundle].name if r.bundle in bundles else r.bundle}
                for r in rows
            ],
            "bundles": list(bundles.values()),
        },
    )


@router.get("/clerk/for/{account}/applications/{application_id}/receipt.pdf", **CLERK)
def receipt_pdf(
    account: str,
    application_id: str,
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    actor: Actor,
) -> Response:
    """The receipt of acceptance (受理回执) to print and hand over: a PDF in the page language."""
    found = _applicant(container.identity, account)
    shown = receipt(container.context, ViewReceipt(actor, found.account, application_id))
    status_url = f"{str(request.base_url).rstrip('/')}/applications/{quote(application_id, safe='')}"
    code = language(request)
    body = pdf.render(
        shown,
        pdf.People(found.name, masked_id_number(found.id_number), found.account, actor.name),
        pdf.Language(code, pages.translations[code]),
        status_url,
    )
    return Response(
        body,
        media_type="application/pdf",
        headers={
            "Content-Disposition": f'inline; filename="receipt-{application_id}.pdf"',
            "Cache-Control": "no-store",
        },
    )
