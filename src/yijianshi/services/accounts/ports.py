"""What accounts need from the outside world: the local accounts, password hashes and signed
tokens."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol

from yijianshi.domain.accounts import LoginState, Principal, Role
from yijianshi.services.errors import AccountTaken as AccountTaken  # Accounts.add raises it
from yijianshi.services.errors import InvalidToken as InvalidToken  # TokenSigner.read raises it


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


class TokenSigner(Protocol):
    """Short-lived signed bearer tokens (also carried in the session cookie)."""

    def issue(self, principal: Principal, now: dt.datetime) -> str: ...

    def read(self, token: str, now: dt.datetime) -> Principal:
        """The principal a token was issued to; raise InvalidToken."""
        ...
