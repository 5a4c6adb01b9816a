"""Local accounts in memory (services/accounts/ports.py), each call atomic, as SqlAccounts'."""

from __future__ import annotations

import dataclasses
import threading

from yijianshi.adapters.memory.applications import utc
from yijianshi.domain.accounts import LoginState, Role
from yijianshi.services.accounts.ports import Account, AccountTaken


def _stored(account: Account) -> Account:
    state = account.login
    locked = utc(state.locked_until) if state.locked_until else None
    return dataclasses.replace(account, login=LoginState(state.failures, locked))


class MemoryAccounts:
    """ports.Accounts in a dict. Thread-safe."""

    def __init__(self) -> None:
        self._accounts: dict[str, Account] = {}
        self._lock = threading.Lock()

    def get(self, account: str) -> Account | None:
        return self._accounts.get(account)

    def add(self, account: Account) -> None:
        with self._lock:
            if account.account in self._accounts:
                raise AccountTaken(account.account)
            self._accounts[account.account] = _stored(account)

    def set_login(self, account: str, state: LoginState) -> None:
        with self._lock:
            found = self._accounts.get(account)
            if found is not None:
                self._accounts[account] = _stored(dataclasses.replace(found, login=state))

    def set_password_hash(self, account: str, password_hash: str) -> None:
        with self._lock:
            found = self._accounts.get(account)
            if found is not None:
                self._accounts[account] = dataclasses.replace(found, password_hash=password_hash)

    def all(self) -> list[Account]:
        return sorted(self._accounts.values(), key=lambda a: a.account)

    def find(
        self, role: Role, id_number: str | None = None, text: str | None = None, limit: int = 20
    ) -> list[Account]:
        if not id_number and not text:
            return []
        found = [
            a
            for a in self._accounts.values()
            if a.role is role
            and (
                (id_number and a.id_number == id_number)
                or (text and (a.account == text or text.lower() in a.name.lower()))
            )
        ]
        return sorted(found, key=lambda a: (a.name, a.account))[: max(limit, 0)]
