"""Pages anyone may open: the life events on offer, logging in and out, language and mode."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import RedirectResponse, Response

from yijianshi.domain.accounts import Principal, Role
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.api.security import ANYONE, SESSION_COOKIE, who
from yijianshi.entrypoints.web.deps import CSRF, Renderer
from yijianshi.entrypoints.web.errors import refusal_status
from yijianshi.services.accounts.logins import LogIn, log_in
from yijianshi.services.errors import Locked, NotAuthenticated

router = APIRouter(include_in_schema=False)

HOMES = {Role.APPLICANT: "/", Role.CLERK: "/clerk", Role.DEPARTMENT: "/department", Role.ADMIN: "/admin"}


def home_of(principal: Principal | None) -> str:
    return HOMES[principal.role] if principal else "/"


def local_path(target: str | None) -> str | None:
    """`next` only ever leads within this site: a path, not `//host` or `/\\host`."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")) or "\\" in target:
        return None
    return target


@router.get("/", **who(ANYONE))
def home(request: Request, container: ContainerDep, pages: Renderer) -> Response:
    """The life events (一件事) on offer."""
    return pages.render(request, "public/home.html", {"bundles": list(container.catalog.bundles.values())})


@router.get("/login", **who(ANYONE))
def login_page(request: Request, pages: Renderer, next: str | None = None) -> Response:
    return pages.render(
        request, "public/login.html", {"next": local_path(next) or "", "error": None, "account": ""}
    )


@router.post("/login", dependencies=CSRF, **who(ANYONE))
def login(
    request: Request,
    container: ContainerDep,
    pages: Renderer,
    account: Annotated[str, Form(max_length=200)] = "",
    password: Annotated[str, Form(max_length=1000)] = "",
    next: Annotated[str, Form(max_length=2000)] = "",
) -> Response:
    _ = pages.gettext(request)
    shown = {"next": local_path(next) or "", "account": account}
    if not account.strip() or not password:
        return pages.render(
            request,
            "public/login.html",
            {**shown, "error": _("Enter your account name and password")},
            status=422,
        )
    try:
        logged_in = log_in(container.identity, LogIn(account.strip(), password))
    except (NotAuthenticated, Locked) as refused:
        locked = isinstance(refused, Locked)
        message = (
            _("Too many failed attempts: the account is locked for a while. Try again later.")
            if locked
            else _("The account name or password is wrong")
        )
        return pages.render(
            request, "public/login.html", {**shown, "error": message}, status=refusal_status(refused)
        )
    response = RedirectResponse(local_path(next) or home_of(logged_in.principal), status_code=303)
    response.set_cookie(
        SESSION_COOKIE,
        logged_in.token,
        max_age=container.settings.token_minutes * 60,
        httponly=True,
        samesite="strict",
        secure=container.settings.environment == "production",
    )
    return response


@router.post("/logout", dependencies=CSRF, **who(ANYONE))
def logout() -> Response:
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(SESSION_COOKIE)
    return response
