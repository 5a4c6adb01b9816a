"""Who acts: accounts, their roles, and the lockout after repeated failed logins.

Roles (角色) and what each may reach is decided per route (entrypoints/api/policy.py); this
module holds only the facts about a person acting:

    applicant   (申请人)       their own applications, certificates and ratings
    clerk       (窗口人员)     everything an applicant can do, on behalf of an identified applicant
                              (无差别受理, recorded as assisted)
    department  (部门人员)     the cases of their own department, minimised to their items' data
    admin       (管理员)       the catalogue, statistics, bad ratings to rectify, dead letters
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    APPLICANT = "applicant"
    CLERK = "clerk"
    DEPARTMENT = "department"
    ADMIN = "admin"


@dataclass(frozen=True, slots=True)
class Principal:
    """The authenticated actor of a request. `department` is set for department staff only."""

    account: str
    role: Role
    name: str
    department: str | None = None

    @property
    def actor(self) -> str:
        """How the audit trail names this actor: role and account (`clerk:window-1`)."""
        return f"{self.role.value}:{self.account}"


@dataclass(frozen=True, slots=True)
class LockoutPolicy:
    """After `attempts` failed logins in a row the account is locked for `minutes`."""

    attempts: int = 5
    minutes: int = 15


@dataclass(frozen=True, slots=True)
class LoginState:
    """What an account remembers between logins."""

    failures: int = 0
    locked_until: dt.datetime | None = None

    def locked(self, now: dt.datetime) -> bool:
        return self.locked_until is not None and now < self.locked_until

    def after_failure(self, now: dt.datetime, policy: LockoutPolicy) -> LoginState:
        """The state after one more failed login: locked once the policy's attempts are used."""
        failures = self.failures + 1
        if failures >= policy.attempts:
            return LoginState(0, now + dt.timedelta(minutes=policy.minutes))
        return LoginState(failures, None)

    @staticmethod
    def after_success() -> LoginState:
        return LoginState()
