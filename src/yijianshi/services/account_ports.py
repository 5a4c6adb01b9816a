"""Ports of the service side that people log in to: accounts, passwords, tokens, ratings."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from yijianshi.domain.accounts import LoginState, Principal, Role
from yijianshi.domain.cases import Case
from yijianshi.domain.ratings import Rating, Rectification


@dataclass(frozen=True, slots=True)
class Account:
    """A local account. `id_number` is an applicant's resident ID number (their wallet's key);
    `department` a department user's department."""

    account: str
    name: str
    role: Role
    password_hash: str
    department: str | None = None
    id_number: str | None = None
    login: LoginState = field(default_factory=LoginState)

    @property
    def principal(self) -> Principal:
        return Principal(self.account, self.role, self.name, self.department)


class AccountTaken(Exception):
    """An account with that name exists already."""


class Accounts(Protocol):
    """Local accounts (an OIDC provider would replace this and the password hasher)."""

    def get(self, account: str) -> Account | None: ...

    def add(self, account: Account) -> None:
        """Store a new account; raise AccountTaken if the name is in use."""
        ...

    def set_login(self, account: str, state: LoginState) -> None: ...

    def set_password_hash(self, account: str, password_hash: str) -> None: ...

    def all(self) -> list[Account]: ...

    def find(
        self, role: Role, id_number: str | None = None, text: str | None = None, limit: int = 20
    ) -> list[Account]:
        """Accounts of `role` with exactly this resident ID number, or whose account name is
        exactly `text`, or whose name contains `text` (case-insensitive; `%` and `_` are plain
        characters); at most `limit`, ordered by name then account. Neither given: none."""
        ...


class PasswordHasher(Protocol):
    def hash(self, password: str) -> str: ...

    def verify(self, password_hash: str, password: str) -> bool:
        """True when `password` matches; False (never an exception) otherwise."""
        ...

    def needs_rehash(self, password_hash: str) -> bool: ...


class InvalidToken(Exception):
    """A token that is malformed, forged or expired."""


class TokenSigner(Protocol):
    """Short-lived signed bearer tokens (also carried in the session cookie)."""

    def issue(self, principal: Principal, now: dt.datetime) -> str: ...

    def read(self, token: str, now: dt.datetime) -> Principal:
        """The principal a token was issued to; raise InvalidToken."""
        ...


class AlreadyRated(Exception):
    """An application is rated once (一事一评)."""


class Ratings(Protocol):
    """Ratings and rectifications, inside one unit of work."""

    def add(self, rating: Rating, rectification: Rectification | None) -> None:
        """Store a rating (and the rectification a bad one opens); AlreadyRated if rated before."""
        ...

    def of_application(self, application_id: str) -> Rating | None: ...

    def all(self) -> list[Rating]: ...

    def rectifications(self, department: str | None = None) -> list[Rectification]: ...

    def rectification(self, rectification_id: str) -> Rectification | None: ...

    def rectification_of(self, rating_id: str) -> Rectification | None:
        """The rectification a bad rating opened, if any."""
        ...

    def reply(self, rectification_id: str, reply: str, at: dt.datetime) -> None: ...


@dataclass(frozen=True, slots=True)
class ApplicationRow:
    """An application as lists show it, without its data."""

    id: str
    bundle: str
    applicant: str
    status: str
    submitted_at: dt.datetime
    version: int = 0  # moves on with every change to the application or its cases


class ApplicationReads(Protocol):
    """Read queries over applications and cases, inside one unit of work."""

    def row(self, application_id: str) -> ApplicationRow | None: ...

    def applications_of(self, applicant: str) -> list[ApplicationRow]:
        """The applicant's applications, newest first."""
        ...

    def all_rows(self) -> list[ApplicationRow]: ...

    def cases_of_department(self, department: str) -> list[tuple[ApplicationRow, Case]]:
        """Every case of `department` that reached it (sent or later), with its application."""
        ...

    def all_cases(self) -> list[tuple[ApplicationRow, Case]]: ...
