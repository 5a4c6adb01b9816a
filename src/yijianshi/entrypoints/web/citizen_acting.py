"""What every citizen page shares: whom it acts for, where it is mounted, errors to show.

A citizen page is mounted twice by `page(...)`: for applicants at `/x`, and for window clerks
acting for an applicant (无差别受理) at `/clerk/for/{account}/x`, with the same handler and
template. `Acting` says who acts for whom; its `base` prefixes every link the page makes, so a
clerk stays in the applicant's pages. The applicant in a clerk's URL must be an applicant account,
else the page answers 404.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterable
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from starlette.datastructures import FormData
from starlette.responses import RedirectResponse, Response

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.bundles import Bundle
from yijianshi.domain.planning import Plan
from yijianshi.domain.problems import Problem
from yijianshi.domain.text import Text
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.api.security import ANYONE, who
from yijianshi.entrypoints.web.deps import CSRF
from yijianshi.entrypoints.web.render import in_language
from yijianshi.services.accounts.local_accounts import ReadApplicant, applicant
from yijianshi.services.applications.ports import Draft
from yijianshi.services.errors import Forbidden, NotAuthenticated, NotFound
from yijianshi.services.planning import PlanBundle, plan_bundle

CLERK_PREFIX = "/clerk/for/{account}"
PARTIALS = "/_partials"
NO_APPLICANT = Text("没有这位申请人", "no such applicant")


@dataclass(frozen=True, slots=True)
class Acting:
    """Who acts (`actor`) for which applicant (`applicant`, named `name`); `base` is "" for the
    applicant's own pages and `/clerk/for/<account>` for a clerk's."""

    actor: Principal
    applicant: str
    name: str
    base: str

    @property
    def clerk(self) -> bool:
        return self.actor.role is Role.CLERK

    @property
    def submitter(self) -> str:
        """SubmitApplication.actor: the clerk, or "" when the applicant submits."""
        return self.actor.actor if self.clerk else ""

    def url(self, path: str) -> str:
        return self.base + path

    def partial(self, path: str) -> str:
        return PARTIALS + self.base + path


def _acting(request: Request, principal: Principal) -> Acting:
    account = request.path_params.get("account")
    if account is None:
        if principal.role is not Role.APPLICANT:
            raise Forbidden(
                Text(
                    "窗口人员请先查找申请人，再为其办理",
                    "window clerks find the applicant first, then act for them",
                ),
            )
        return Acting(principal, principal.account, principal.name, "")
    found = applicant(request.app.state.container.identity, ReadApplicant(account))
    if principal.role is not Role.CLERK or found is None:
        raise NotFound(NO_APPLICANT)
    return Acting(principal, account, found.name, "/clerk/for/" + quote(account, safe=""))


def acting(request: Request) -> Acting:
    """The route dependency: who acts for whom (the route's roles were checked already)."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None:
        raise NotAuthenticated(Text("请先登录", "log in first"))
    return _acting(request, principal)


def maybe_acting(request: Request) -> Acting | None:
    """As `acting`, for a page anyone may read: None when nobody who can apply is logged in."""
    principal: Principal | None = getattr(request.state, "principal", None)
    if principal is None or (principal.role is not Role.APPLICANT and "account" not in request.path_params):
        return None
    return _acting(request, principal)


async def posted_form(request: Request) -> AsyncIterator[FormData]:
    """The posted fields, read before the (synchronous) handler runs in the thread pool, so
    that no database call of a page blocks the event loop; files posted with them are closed
    once the page is answered."""
    form = await request.form()
    try:
        yield form
    finally:
        await form.close()


Acts = Annotated[Acting, Depends(acting)]
MaybeActs = Annotated[Acting | None, Depends(maybe_acting)]
Posted = Annotated[FormData, Depends(posted_form)]


def page(
    router: APIRouter, method: str, path: str, public: bool = False, **options: Any
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Mount a handler at `path` for applicants (or anyone, when `public`) and under
    `/clerk/for/{account}` for clerks; a POST gets the CSRF check."""
    clerk_path = (
        PARTIALS + CLERK_PREFIX + path[len(PARTIALS) :]
        if path.startswith(PARTIALS + "/")
        else CLERK_PREFIX + path
    )
    if method == "POST":
        options = {**options, "dependencies": CSRF}

    def register(handler: Callable[..., Any]) -> Callable[..., Any]:
        router.add_api_route(
            path, handler, methods=[method], **who(ANYONE if public else Role.APPLICANT), **options
        )
        router.add_api_route(clerk_path, handler, methods=[method], **who(Role.CLERK), **options)
        return handler

    return register


def see_other(url: str) -> Response:
    return RedirectResponse(url, status_code=303)


def field_errors(request: Request, errors: Iterable[Problem[str]], prefix: str = "") -> list[dict[str, str]]:
    """Form errors as the error summary lists them: field key (its input is `field-<key>`) and
    the message in the reader's language."""
    return [{"field": prefix + e.where, "message": in_language(request, e.message)} for e in errors]


def bundle_of(request: Request, code: str) -> Bundle:
    """The catalogue's bundle; NotFound for an unknown code."""
    found: Bundle | None = request.app.state.container.catalog.bundles.get(code)
    if found is None:
        raise NotFound(Text(f"没有这件事：{code}", f"no life event {code}"))
    return found


def first_error_map(errors: Iterable[dict[str, str]]) -> dict[str, str]:
    """Field key -> its first message, for showing each error beside its field."""
    found: dict[str, str] = {}
    for e in errors:
        found.setdefault(e["field"], e["message"])
    return found


def first_step(bundle: Bundle, draft: Draft) -> str:
    """The path (below /events/{bundle}) of the first step not done yet; `check` when all are."""
    for number, question in enumerate(bundle.questions, start=1):
        if question.code not in draft.answers:
            return f"questions/{number}"
    for step in ("people", "form", "materials"):
        if step not in draft.steps:
            return step
    return "check"


def answered_plan(container: ContainerDep, bundle: Bundle, draft: Draft) -> Plan:
    """The plan for the draft's answers, before anyone's certificates are read (no audit)."""
    context = container.context
    return plan_bundle(context, PlanBundle(bundle.code, context.clock.today(), dict(draft.answers)))
