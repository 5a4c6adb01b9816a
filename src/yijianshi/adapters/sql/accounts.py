"""Local accounts in SQL, each call its own short transaction."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, func, insert, or_, select, update
from sqlalchemy.exc import IntegrityError

from yijianshi.adapters.sql.service_tables import accounts
from yijianshi.adapters.sql.times import utc
from yijianshi.domain.accounts import LoginState, Role
from yijianshi.services.accounts.ports import Account, AccountTaken


def _account(row: Any) -> Account:
    return Account(
        row.account,
        row.name,
        Role(row.role),
        row.password_hash,
        row.department,
        row.id_number,
        LoginState(row.failures, utc(row.locked_until)),
    )


class SqlAccounts:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def get(self, account: str) -> Account | None:
        with self.engine.connect() as connection:
            row = connection.execute(select(accounts).where(accounts.c.account == account)).first()
        return _account(row) if row else None

    def add(self, account: Account) -> None:
        try:
            with self.engine.begin() as connection:
                connection.execute(
                    insert(accounts).values(
                        account=account.account,
                        name=account.name,
                        role=account.role.value,
                        password_hash=account.password_hash,
                        department=account.department,
                        id_number=account.id_number,
                        failures=account.login.failures,
                        locked_until=utc(account.login.locked_until),
                    )
                )
        except IntegrityError:
            raise AccountTaken(account.account) from None

    def set_login(self, account: str, state: LoginState) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(accounts)
                .where(accounts.c.account == account)
                .values(failures=state.failures, locked_until=utc(state.locked_until))
            )

    def set_password_hash(self, account: str, password_hash: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(accounts).where(accounts.c.account == account).values(password_hash=password_hash)
            )

    def all(self) -> list[Account]:
        with self.engine.connect() as connection:
            return [_account(r) for r in connection.execute(select(accounts).order_by(accounts.c.account))]

    def find(
        self, role: Role, id_number: str | None = None, text: str | None = None, limit: int = 20
    ) -> list[Account]:
        wanted = []
        if id_number:
            wanted.append(accounts.c.id_number == id_number)
        if text:
            wanted += [
                accounts.c.account == text,
                func.lower(accounts.c.name).contains(text.lower(), autoescape=True),
            ]
        if not wanted:
            return []
        query = (
            select(accounts)
            .where(accounts.c.role == role.value, or_(*wanted))
            .order_by(accounts.c.name, accounts.c.account)
            .limit(limit)
        )
        with self.engine.connect() as connection:
            return [_account(r) for r in connection.execute(query)]
