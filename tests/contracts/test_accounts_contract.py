"""Accounts: the local accounts people log in with, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine

from tests.contracts.samples import NOW
from yijianshi.adapters.memory.accounts import MemoryAccounts
from yijianshi.adapters.sql.accounts import SqlAccounts
from yijianshi.domain.accounts import LoginState, Role
from yijianshi.services.accounts.ports import Account, Accounts, AccountTaken


@pytest.fixture
def accounts(engine: Engine | None) -> Accounts:
    return MemoryAccounts() if engine is None else SqlAccounts(engine)


def applicant(account: str, name: str, id_number: str | None = None) -> Account:
    return Account(account, name, Role.APPLICANT, "hash", id_number=id_number)


def test_an_added_account_reads_back(accounts: Accounts) -> None:
    clerk = Account("window-1", "窗口一", Role.CLERK, "argon2-hash", department="d1", id_number=None)
    accounts.add(clerk)
    assert accounts.get("window-1") == clerk
    assert accounts.get("nobody") is None


def test_an_account_name_is_taken_once(accounts: Accounts) -> None:
    accounts.add(applicant("p1", "李秀英"))
    with pytest.raises(AccountTaken):
        accounts.add(applicant("p1", "王芳"))
    assert accounts.get("p1") == applicant("p1", "李秀英")


def test_login_state_and_password_hash_change(accounts: Accounts) -> None:
    accounts.add(applicant("p1", "李秀英"))
    accounts.set_login("p1", LoginState(0, NOW + dt.timedelta(minutes=15)))
    accounts.set_password_hash("p1", "new-hash")
    found = accounts.get("p1")
    assert found is not None
    assert found.login == LoginState(0, NOW + dt.timedelta(minutes=15))
    assert found.login.locked_until is not None
    assert found.login.locked_until.utcoffset() == dt.timedelta(0)
    assert found.password_hash == "new-hash"


def test_all_accounts_come_by_name_of_account(accounts: Accounts) -> None:
    for name in ("c", "a", "b"):
        accounts.add(applicant(name, name))
    assert [a.account for a in accounts.all()] == ["a", "b", "c"]


def test_find_by_id_number_account_or_part_of_the_name_within_a_role(accounts: Accounts) -> None:
    accounts.add(applicant("p1", "Li Xiuying", "11010519491231002X"))
    accounts.add(applicant("p2", "Wang Fang"))
    accounts.add(applicant("p3", "Li Ming"))
    accounts.add(Account("li", "Clerk Li", Role.CLERK, "hash"))
    assert [a.account for a in accounts.find(Role.APPLICANT, id_number="11010519491231002X")] == ["p1"]
    assert [a.account for a in accounts.find(Role.APPLICANT, text="li")] == ["p3", "p1"]  # by name
    assert [a.account for a in accounts.find(Role.APPLICANT, text="p2")] == ["p2"]
    assert [a.account for a in accounts.find(Role.APPLICANT, text="li", limit=1)] == ["p3"]
    assert accounts.find(Role.APPLICANT) == []
    assert accounts.find(Role.APPLICANT, text="%") == []  # a plain character, no wildcard
