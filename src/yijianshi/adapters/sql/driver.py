"""Statements run for many rows through the database driver, on the hot paths.

SQLAlchemy builds and processes each row's parameters in Python (about 6 µs a row); the worker
writes some fifty rows per application. A `DriverStatement` is a Core statement compiled once per
dialect and run with the driver's `executemany`, the rows given as the driver takes them: JSON as
text the caller encoded, and on SQLite dates and times as the text SQLAlchemy would have written
(`Date`: `YYYY-MM-DD`, `DateTime`: `YYYY-MM-DD HH:MM:SS.ffffff`, the offset dropped as it does),
so rows written either way read back the same.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sqlalchemy import BindParameter, Connection, Date, DateTime, Table, bindparam, insert
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.dml import Insert, UpdateBase
from sqlalchemy.types import TypeEngine


def _sqlite_date(value: dt.date | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, dt.datetime) else value).isoformat()


_last_time: tuple[object, str | None] = (None, None)


def _sqlite_datetime(value: dt.datetime | None) -> str | None:
    # The rows of one statement mostly share their time object: its text is made once. (Not an
    # equality cache: equal instants at different offsets are written differently.)
    global _last_time
    last = _last_time  # read once: another thread may replace it meanwhile
    if value is last[0]:
        return last[1]
    text = None if value is None else value.replace(tzinfo=None).isoformat(" ", "microseconds")
    _last_time = (value, text)
    return text


_Plan = tuple[str, Callable[[Sequence[Mapping[str, Any]]], Sequence[Any]]]


def insert_into(table: Table, *names: str) -> Insert:
    """An INSERT of exactly the columns `names` (the others take their defaults, and no RETURNING
    is added), each a bind parameter of its own name and its column's type."""
    return insert(table).inline().values(_binds(table, names))


def insert_or_ignore(table: Table, *names: str) -> DriverStatement:
    """`insert_into` that leaves a row whose key is taken as it is (ON CONFLICT DO NOTHING), in
    each dialect's words."""
    binds = _binds(table, names)
    return DriverStatement(
        {
            "sqlite": sqlite.insert(table).inline().values(binds).on_conflict_do_nothing(),
            "postgresql": postgresql.insert(table).inline().values(binds).on_conflict_do_nothing(),
        }
    )


def _binds(table: Table, names: Sequence[str]) -> dict[str, BindParameter[Any]]:
    return {name: bindparam(name, type_=table.c[name].type) for name in names}


class DriverStatement:
    """An INSERT or UPDATE run with `executemany` through the driver; see the module docstring.
    One statement for every dialect, or one per dialect name."""

    def __init__(self, statement: UpdateBase | Mapping[str, UpdateBase]) -> None:
        self.statements = statement
        self._plans: dict[str, _Plan] = {}

    def run(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> int:
        """Run for every row (each names every bind parameter); return the rows affected."""
        return self.bind(connection, rows)()

    def bind(self, connection: Connection, rows: Sequence[Mapping[str, Any]]) -> Callable[[], int]:
        """The statement ready to run for every row, the rows already converted: running it
        (which returns the rows affected) is all that is left to do while the transaction
        holds its write locks."""
        if not rows:
            return _nothing
        sql, parameters = self._plans.get(connection.dialect.name) or self._plan(connection)
        converted = parameters(rows)
        return lambda: connection.exec_driver_sql(sql, converted).rowcount

    def _plan(self, connection: Connection) -> _Plan:
        name = connection.dialect.name
        statement = self.statements[name] if isinstance(self.statements, Mapping) else self.statements
        compiled = statement.compile(dialect=connection.dialect)
        assert isinstance(compiled, SQLCompiler)
        plan = (str(compiled), _sqlite_rows(compiled) if name == "sqlite" else _as_they_are)
        self._plans[name] = plan
        return plan


def _nothing() -> int:
    return 0


def _as_they_are(rows: Sequence[Mapping[str, Any]]) -> Sequence[Any]:
    return rows  # psycopg takes named parameters, typed in the SQL


def _sqlite_rows(compiled: SQLCompiler) -> Callable[[Sequence[Mapping[str, Any]]], Sequence[Any]]:
    """Rows as tuples in the order of the `?`s, dates and times as text."""
    names = list(compiled.positiontup or ())
    values = operator.itemgetter(*names) if len(names) > 1 else lambda row: (row[names[0]],)
    converters = [
        (index, convert)
        for index, name in enumerate(names)
        if (convert := _sqlite_text(compiled.binds[name].type))
    ]
    if not converters:
        return lambda rows: list(map(values, rows))

    def converted(row: Mapping[str, Any]) -> tuple[Any, ...]:
        found = list(values(row))
        for index, convert in converters:
            found[index] = convert(found[index])
        return tuple(found)

    return lambda rows: list(map(converted, rows))


def _sqlite_text(kind: TypeEngine[Any]) -> Callable[[Any], Any] | None:
    if isinstance(kind, DateTime):
        return _sqlite_datetime
    return _sqlite_date if isinstance(kind, Date) else None
