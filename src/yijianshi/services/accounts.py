"""Use cases of accounts: log in (with lockout), create accounts, the demo accounts."""

from __future__ import annotations

import secrets
from dataclasses import dataclass, field
from functools import cached_property

from yijianshi.domain.accounts import LockoutPolicy, Principal, Role
from yijianshi.services.account_ports import Account, Accounts, PasswordHasher, TokenSigner
from yijianshi.services.ports import Clock


class LoginRefused(Exception):
    """Wrong account or password, or a locked account. The message does not say which account
    names exist; `locked` tells the caller to say "try again later"."""

    def __init__(self, locked: bool = False) -> None:
        super().__init__("account locked after repeated failures; try again later" if locked
                         else "wrong account name or password")
        self.locked = locked


@dataclass
class AccountServices:
    accounts: Accounts
    hasher: PasswordHasher
    tokens: TokenSigner
    clock: Clock
    lockout: LockoutPolicy = field(default_factory=LockoutPolicy)

    @cached_property
    def _dummy_hash(self) -> str:
        """A hash of a random password, checked when the account does not exist."""
        return self.hasher.hash(secrets.token_urlsafe(16))

    def log_in(self, account: str, password: str) -> tuple[Principal, str]:
        """The principal and a fresh token; raise LoginRefused. Failures count toward lockout;
        a locked account refuses even the right password until the lock ends."""
        now = self.clock.now()
        found = self.accounts.get(account)
        if found is None:
            self.hasher.verify(self._dummy_hash, password)  # as long as a real check takes
            raise LoginRefused()
        if found.login.locked(now):
            raise LoginRefused(locked=True)
        if not self.hasher.verify(found.password_hash, password):
            state = found.login.after_failure(now, self.lockout)
            self.accounts.set_login(account, state)
            raise LoginRefused(locked=state.locked(now))
        if found.login != found.login.after_success():
            self.accounts.set_login(account, found.login.after_success())
        if self.hasher.needs_rehash(found.password_hash):
            self.accounts.set_password_hash(account, self.hasher.hash(password))
        return found.principal, self.tokens.issue(found.principal, now)

    def principal(self, token: str) -> Principal:
        """The principal of a bearer token or session cookie; raise InvalidToken."""
        return self.tokens.read(token, self.clock.now())

    def create(self, account: str, name: str, role: Role, password: str, department: str | None = None,
               id_number: str | None = None) -> Account:
        """Create a local account; raise AccountTaken."""
        created = Account(account, name, role, self.hasher.hash(password), department, id_number)
        self.accounts.add(created)
        return created

    def applicant_id_number(self, account: str) -> str | None:
        found = self.accounts.get(account)
        return found.id_number if found is not None else None


@dataclass(frozen=True, slots=True)
class DemoAccount:
    account: str
    role: Role
    name: str
    department: str | None = None


def demo_accounts(departments: dict[str, str]) -> list[DemoAccount]:
    """One account per role, and one department user per department (code -> name)."""
    return [DemoAccount("citizen", Role.APPLICANT, "林晓梅 (demo applicant)"),
            DemoAccount("clerk", Role.CLERK, "窗口一号 (demo window clerk)"),
            DemoAccount("admin", Role.ADMIN, "管理员 (demo administrator)"),
            *(DemoAccount(f"dept-{code}", Role.DEPARTMENT, name, code) for code, name in departments.items())]


def ensure_demo_accounts(services: AccountServices, wanted: list[DemoAccount], password: str,
                         applicant_id_number: str) -> None:
    """Create the demo accounts, or give existing ones `password` (development mode only: the
    caller prints it)."""
    for demo in wanted:
        found = services.accounts.get(demo.account)
        if found is None:
            services.create(demo.account, demo.name, demo.role, password, demo.department,
                            applicant_id_number if demo.role is Role.APPLICANT else None)
        else:
            services.accounts.set_password_hash(demo.account, services.hasher.hash(password))
            services.accounts.set_login(demo.account, found.login.after_success())
