"""Use cases of the local accounts: create one, read an applicant's, find applicants, and the demo
accounts of a development deployment."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from yijianshi.domain.accounts import Role
from yijianshi.services.accounts.ports import Account, Identity


@dataclass(frozen=True, slots=True)
class CreateAccount:
    """Command: make a local account. `department` is a department user's, `id_number` an
    applicant's resident ID number."""

    account: str
    name: str
    role: Role
    password: str
    department: str | None = None
    id_number: str | None = None


def create_account(identity: Identity, command: CreateAccount) -> Account:
    """The new account, its password stored hashed; raise AccountTaken if the name is in use."""
    created = Account(
        command.account,
        command.name,
        command.role,
        identity.hasher.hash(command.password),
        command.department,
        command.id_number,
    )
    identity.accounts.add(created)
    return created


@dataclass(frozen=True, slots=True)
class ReadApplicant:
    """Command: read the account of applicant `account`."""

    account: str


def applicant(identity: Identity, command: ReadApplicant) -> Account | None:
    """The account if it is an applicant's; None for an unknown account or another role."""
    found = identity.accounts.get(command.account)
    return found if found is not None and found.role is Role.APPLICANT else None


@dataclass(frozen=True, slots=True)
class ReadApplicantIdNumber:
    """Command: read the resident ID number of account `account` (an applicant's wallet key)."""

    account: str


def applicant_id_number(identity: Identity, command: ReadApplicantIdNumber) -> str | None:
    """The account's resident ID number; None for an unknown account or one without."""
    found = identity.accounts.get(command.account)
    return found.id_number if found is not None else None


@dataclass(frozen=True, slots=True)
class FindApplicants:
    """Command: find applicants by resident ID number, or by account name or part of the name
    (`text`); at most `limit`."""

    id_number: str | None = None
    text: str | None = None
    limit: int = 20


def find_applicants(identity: Identity, command: FindApplicants) -> list[Account]:
    """Applicants with this resident ID number, or account name `text`, or a name containing
    `text`; at most `limit`, ordered by name then account. Neither given: none."""
    return identity.accounts.find(Role.APPLICANT, command.id_number, command.text, command.limit)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    account: str
    role: Role
    name: str
    department: str | None = None


def demo_accounts(departments: dict[str, str]) -> list[DemoAccount]:
    """One account per role, and one department user per department (code -> name)."""
    return [
        DemoAccount("citizen", Role.APPLICANT, "林晓梅 (demo applicant)"),
        DemoAccount("clerk", Role.CLERK, "窗口一号 (demo window clerk)"),
        DemoAccount("admin", Role.ADMIN, "管理员 (demo administrator)"),
        *(DemoAccount(f"dept-{code}", Role.DEPARTMENT, name, code) for code, name in departments.items()),
    ]


@dataclass(frozen=True, slots=True)
class EnsureDemoAccounts:
    """Command: have the demo accounts `wanted`, all with `password`; the applicant's with
    `applicant_id_number`."""

    wanted: Sequence[DemoAccount]
    password: str
    applicant_id_number: str


def ensure_demo_accounts(identity: Identity, command: EnsureDemoAccounts) -> None:
    """Create the demo accounts, or give existing ones the password and lift their lock
    (development mode only: the caller prints the password)."""
    accounts = identity.accounts
    for demo in command.wanted:
        found = accounts.get(demo.account)
        if found is None:
            id_number = command.applicant_id_number if demo.role is Role.APPLICANT else None
            create_account(
                identity,
                CreateAccount(
                    demo.account, demo.name, demo.role, command.password, demo.department, id_number
                ),
            )
        else:
            accounts.set_password_hash(demo.account, identity.hasher.hash(command.password))
            accounts.set_login(demo.account, found.login.after_success())
