"""Who may call what: declared roles, deny by default, authentication, lockout, token expiry."""

from __future__ import annotations

import datetime as dt

from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from tests.e2e.conftest import Api, department_account
from yijianshi.entrypoints.api import openapi_document
from yijianshi.entrypoints.api.app import create_app


def api_routes(api: Api) -> list[APIRoute]:
    return [r for r in api.client.app.routes if isinstance(r, APIRoute)]  # type: ignore[attr-defined]


def test_every_route_declares_who_may_call_it(api: Api) -> None:
    undeclared = [r.path for r in api_routes(api) if not (r.openapi_extra or {}).get("x-roles")]
    assert undeclared == []


def test_a_route_that_declares_nobody_is_refused_even_to_an_administrator(api: Api) -> None:
    app = create_app(api.container)

    @app.get("/api/forgotten")
    def forgotten() -> dict[str, str]:
        return {"secret": "leaked"}

    with TestClient(app) as client:
        response = client.get("/api/forgotten", headers=api.login("admin"))
    assert response.status_code == 403
    assert "leaked" not in response.text


def test_without_a_token_a_protected_route_answers_401_and_a_wrong_role_403(api: Api) -> None:
    assert api.client.get("/api/applications").status_code == 401
    assert api.as_("mother", "GET", "/api/admin/statistics").status_code == 403
    assert api.as_("admin", "GET", "/api/department/cases").status_code == 403
    staff = department_account("ruian-psb")
    assert api.as_(staff, "GET", "/api/applications").status_code == 403
    forged = api.client.get("/api/me", headers={"Authorization": "Bearer not.a.token"})
    assert forged.status_code == 401
    assert forged.headers["content-type"] == "application/problem+json"


def test_a_token_expires_after_its_lifetime(api: Api) -> None:
    headers = api.login("mother")
    assert api.client.get("/api/me", headers=headers).status_code == 200
    api.clock.moment += dt.timedelta(minutes=31)
    expired = api.client.get("/api/me", headers=headers)
    assert expired.status_code == 401
    assert "expired" in expired.json()["detail"]


def test_five_failed_logins_lock_the_account_even_against_the_right_password(api: Api) -> None:
    for _ in range(4):
        wrong = api.client.post("/api/auth/token", json={"account": "mother", "password": "guess"})
        assert wrong.status_code == 401
    locked = api.client.post("/api/auth/token", json={"account": "mother", "password": "guess"})
    assert locked.status_code == 423
    right = api.client.post(
        "/api/auth/token", json={"account": "mother", "password": "correct horse battery staple"}
    )
    assert right.status_code == 423
    api.clock.moment += dt.timedelta(minutes=16)
    assert (
        api.client.post(
            "/api/auth/token", json={"account": "mother", "password": "correct horse battery staple"}
        ).status_code
        == 200
    )


def test_an_unknown_account_and_a_wrong_password_get_the_same_answer(api: Api) -> None:
    unknown = api.client.post("/api/auth/token", json={"account": "nobody", "password": "guess"})
    wrong = api.client.post("/api/auth/token", json={"account": "mother", "password": "guess"})
    assert (unknown.status_code, unknown.json()) == (wrong.status_code, wrong.json())


def test_the_session_cookie_authenticates_like_the_bearer_token(api: Api) -> None:
    api.client.cookies.clear()
    logged = api.client.post(
        "/api/auth/token", json={"account": "clerk", "password": "correct horse battery staple"}
    )
    assert "httponly" in logged.headers["set-cookie"].lower()
    assert api.client.get("/api/me").json()["role"] == "clerk"
    api.client.post("/api/auth/logout")
    assert api.client.get("/api/me").status_code == 401


def test_the_committed_openapi_document_is_up_to_date() -> None:
    committed = openapi_document.DOCUMENT.read_text(encoding="utf-8")
    assert committed == openapi_document.render(), "run `make openapi` and commit docs/openapi.json"
