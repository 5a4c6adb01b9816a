"""Authentication and deny-by-default authorisation.

Every route declares who may call it with `who(...)`, which writes the roles into the route's
OpenAPI operation as `x-roles`; an application-wide dependency refuses any route that declares
nothing, then authenticates (bearer token, else the session cookie) and checks the role. So the
OpenAPI document states, per operation, who may call it, and a test checks every route does.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.text import Text
from yijianshi.services.accounts.local_accounts import ReadApplicant, applicant
from yijianshi.services.accounts.logins import ReadToken, read_token
from yijianshi.services.errors import Forbidden, Invalid, InvalidToken, NotAuthenticated, NotFound

ANYONE = "anyone"
SESSION_COOKIE = "yijianshi_session"
bearer = HTTPBearer(auto_error=False, description="A token from POST /api/auth/token")


def who(*roles: Role | str) -> dict[str, Any]:
    """Route keyword arguments declaring the roles that may call it (or ANYONE)."""
    return {"openapi_extra": {"x-roles": [r.value if isinstance(r, Role) else r for r in roles]}}


def declared_roles(request: Request) -> list[str] | None:
    route = request.scope.get("route")
    extra = getattr(route, "openapi_extra", None) or {}
    roles = extra.get("x-roles")
    return list(roles) if roles else None


async def authorise(
    request: Request, credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]
) -> None:
    """Refuse undeclared routes; authenticate; check the caller's role against the route's."""
    for name, value in (*request.path_params.items(), *request.query_params.items()):
        if "\x00" in str(value):
            raise Invalid(
                Text(
                    f"{name} 含有空字符（\\u0000），请删除",
                    f"{name} contains a NUL character (\\u0000); remove it",
                ),
                name,
            )
    roles = declared_roles(request)
    if roles is None:
        raise Forbidden(Text("此接口未声明调用者，拒绝访问", "this route declares no callers and is refused"))
    token = credentials.credentials if credentials else request.cookies.get(SESSION_COOKIE)
    if ANYONE in roles:  # an expired session does not stop anyone reading a public page
        try:
            request.state.principal = _read(request, token)
        except InvalidToken:
            request.state.principal = None
        return
    principal = _read(request, token)
    request.state.principal = principal
    if principal is None:
        raise NotAuthenticated(Text("请先登录", "log in first: send a bearer token or the session cookie"))
    if principal.role.value not in roles:
        raise Forbidden(Text("您的角色无权使用此功能", f"the role {principal.role.value} may not call this"))


def _read(request: Request, token: str | None) -> Principal | None:
    """The principal a token names, None without a token; raise InvalidToken."""
    return read_token(request.app.state.container.identity, ReadToken(token)) if token else None


def principal(request: Request) -> Principal:
    found: Principal | None = getattr(request.state, "principal", None)
    if found is None:
        raise NotAuthenticated(Text("请先登录", "log in first"))
    return found


def applicant_of(
    request: Request,
    actor: Annotated[Principal, Depends(principal)],
    on_behalf_of: Annotated[
        str | None, Header(alias="X-On-Behalf-Of", description="Window clerks: the applicant's account")
    ] = None,
) -> str:
    """Whose applications a call concerns: the applicant's own; a clerk's named applicant (无差别受理)."""
    if actor.role is Role.APPLICANT:
        return actor.account
    if not on_behalf_of:
        raise Invalid(
            Text(
                "窗口代办须指明申请人（X-On-Behalf-Of）",
                "a clerk names the applicant in the X-On-Behalf-Of header",
            ),
            "X-On-Behalf-Of",
        )
    if applicant(request.app.state.container.identity, ReadApplicant(on_behalf_of)) is None:
        raise NotFound(Text("没有这位申请人", "no such applicant"), "X-On-Behalf-Of")
    return on_behalf_of


Actor = Annotated[Principal, Depends(principal)]
Applicant = Annotated[str, Depends(applicant_of)]
