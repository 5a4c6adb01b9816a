"""The API through HTTP (FastAPI's TestClient), on SQLite and on PostgreSQL.

Each test gets a fresh database, the sample catalogue, a fixed clock on a working day, one
account per role (and one department user per department), real Argon2 hashes (cheap
parameters, to keep the suite quick) and real signed tokens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tests.clock import FixedClock
from yijianshi.adapters.auth.passwords import Argon2Passwords
from yijianshi.bootstrap import Container, bootstrap
from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api.app import create_app
from yijianshi.services.accounts.local_accounts import CreateAccount, create_account
from yijianshi.settings import Settings

CST = dt.timezone(dt.timedelta(hours=8))
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=CST)
PASSWORD = "correct horse battery staple"
MOTHER_ID = "330381199003070023"


@dataclass
class Api:
    client: TestClient
    container: Container
    clock: FixedClock
    tokens: dict[str, str] = field(default_factory=dict)

    def login(self, account: str, password: str = PASSWORD) -> dict[str, str]:
        """Authorization headers for `account` (logged in once per test)."""
        if account not in self.tokens:
            response = self.client.post("/api/auth/token", json={"account": account, "password": password})
            assert response.status_code == 200, response.text
            self.tokens[account] = response.json()["access_token"]
        return {"Authorization": f"Bearer {self.tokens[account]}"}

    def as_(self, account: str, method: str, url: str, **kwargs: Any) -> Any:
        headers = {**self.login(account), **kwargs.pop("headers", {})}
        self.client.cookies.clear()  # each call authenticates with its own bearer token only
        return self.client.request(method, url, headers=headers, **kwargs)


def department_account(code: str) -> str:
    return f"staff-{code}"


@pytest.fixture(params=["sqlite", "postgresql"])
def api(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Api]:
    url = (
        f"sqlite:///{tmp_path / 'api.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    settings = Settings(
        database_url=url, secret_key="test-secret-" + "x" * 40, signing_key=tmp_path / "signing-key.pem"
    )
    clock = FixedClock(MONDAY)
    container = bootstrap(
        settings,
        clock=clock,
        passwords=Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)),
    )
    identity = container.identity
    create_account(identity, CreateAccount("mother", "林晓梅", Role.APPLICANT, PASSWORD, id_number=MOTHER_ID))
    create_account(
        identity, CreateAccount("other", "王芳", Role.APPLICANT, PASSWORD, id_number="11010519491231002X")
    )
    create_account(identity, CreateAccount("clerk", "窗口一号", Role.CLERK, PASSWORD))
    create_account(identity, CreateAccount("admin", "管理员", Role.ADMIN, PASSWORD))
    for code in container.catalog.departments:
        create_account(
            identity,
            CreateAccount(
                department_account(code), f"{code} staff", Role.DEPARTMENT, PASSWORD, department=code
            ),
        )
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Api(client, container, clock)
    container.engine.dispose()
