"""What accounts need from the outside world: the local accounts, password hashes and signed
tokens; and `Identity`, the context the area's use cases receive with them."""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field
from functools import cached_property
from typing import Protocol

from yijianshi.domain.accounts import LockoutPolicy, LoginState, Principal, Role
from yijianshi.services.clock import Clock
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


@dataclass(frozen=True)  # no slots: cached_property keeps `dummy_hash` in the instance's dict
class Identity:
    """What every use case of accounts receives besides its command: who may log in and how
    (身份认证).

    It is not `services.context.Context`: the local accounts live outside the unit of work (each
    call to them is its own short transaction, so a refused login's failure still counts; an OIDC
    provider would replace them and the hasher together), and no use case of another area needs
    passwords or tokens, so a context of its own keeps every field required where it is used. A
    deployment makes one (bootstrap); it is shared by every thread.
    """

    accounts: Accounts
    hasher: PasswordHasher
    tokens: TokenSigner
    clock: Clock
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)

    @cached_property
    def dummy_hash(self) -> str:
        """A hash of a random password, checked when an account does not exist (made on first
        use: hashing is slow on purpose)."""
        return self.hasher.hash(secrets.token_urlsafe(16))
