"""Logging in and out: a bearer token for API clients, the same token as a session cookie for pages."""

from __future__ import annotations

from fastapi import APIRouter, Response

from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api.deps import ContainerDep
from yijianshi.entrypoints.api.schemas import PrincipalPublic, TokenCreate, TokenPublic
from yijianshi.entrypoints.api.security import ANYONE, SESSION_COOKIE, Actor, who
from yijianshi.services.accounts import logins

router = APIRouter(prefix="/api", tags=["authentication"])


@router.post("/auth/token", **who(ANYONE))
def log_in(body: TokenCreate, container: ContainerDep, response: Response) -> TokenPublic:
    """Exchange an account name and password for a short-lived token, also set as an HttpOnly
    session cookie. Repeated failures lock the account for a while (423)."""
    logged_in = logins.log_in(container.identity, logins.LogIn(body.account, body.password))
    principal, token = logged_in.principal, logged_in.token
    lifetime = container.settings.token_minutes * 60
    response.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=lifetime,
        httponly=True,
        samesite="strict",
        secure=container.settings.environment == "production",
    )
    return TokenPublic(
        access_token=token, expires_in=lifetime, role=principal.role.value, account=principal.account
    )


@router.post("/auth/logout", status_code=204, **who(ANYONE))
def log_out(response: Response) -> None:
    response.delete_cookie(SESSION_COOKIE)


@router.get("/me", **who(*Role))
def me(actor: Actor) -> PrincipalPublic:
    return PrincipalPublic(
        account=actor.account, role=actor.role.value, name=actor.name, department=actor.department
    )
