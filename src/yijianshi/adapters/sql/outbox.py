"""The transactional outbox in SQL: each batch is read with one query and its outcomes written with
one statement per kind (delivered: one update; failed or dead-lettered: one executemany). Times are
stored in UTC (see times.py)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Text, bindparam, cast, literal_column, select, type_coerce, update
from sqlalchemy.types import NullType

from yijianshi.adapters.sql.driver import DriverStatement, insert_into
from yijianshi.adapters.sql.tables import outbox
from yijianshi.adapters.sql.times import utc
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DeadLetter,
    Dispatch,
    FailedDelivery,
    Partition,
    shard_of,
)
from yijianshi.services.unit_of_work import Write

_FAILED = (
    update(outbox)
    .where(outbox.c.event_id == bindparam("b_event_id"))
    .values(
        attempts=bindparam("b_attempts"),
        last_error=bindparam("b_error"),
        next_attempt_at=bindparam("b_next"),
        dead_lettered_at=bindparam("b_dead"),
    )
)


_DELIVERED = DriverStatement(
    update(outbox)
    .where(outbox.c.event_id == bindparam("b_event_id"))
    .values(
        delivered_at=bindparam("b_at", type_=outbox.c.delivered_at.type),
        attempts=outbox.c.attempts + literal_column("1"),
    )
)

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_ADD = DriverStatement(
    insert_into(
        outbox,
        "event_id",
        "application_id",
        "case_id",
        "item",
        "department",
        "payload",
        "created_at",
        "next_attempt_at",
        "attempts",
        "shard",
    )
)
# the hot columns as the driver gives them: the payload as its text (PostgreSQL too), the time as
# text on SQLite
_PENDING = [
    *(outbox.c[name] for name in ("event_id", "application_id", "case_id", "item", "department", "attempts")),
    cast(outbox.c.payload, Text).label("payload"),
    type_coerce(outbox.c.created_at, NullType).label("created_at"),
]


class JsonObject(Mapping[str, Any]):
    """A JSON object kept as the text it was read as, parsed on first use.

    A dispatch's payload is read from the outbox to be handed on: a gateway that stores or sends
    it as JSON can take `text` as it is (the simulated department does), instead of parsing it
    only to encode it again.
    """

    __slots__ = ("_value", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._value: dict[str, Any] | None = None

    def _parsed(self) -> dict[str, Any]:
        if self._value is None:
            self._value = json.loads(self.text)
        return self._value

    def __getitem__(self, key: str) -> Any:
        return self._parsed()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._parsed())

    def __len__(self) -> int:
        return len(self._parsed())

    def __repr__(self) -> str:
        return f"JsonObject({self.text!r})"


_last_read: tuple[object, dt.datetime | None] = (None, None)


def _utc(moment: Any) -> dt.datetime:
    """A time as the driver gives it (SQLite: text), in UTC; the dispatches of one batch mostly
    share their time, read once."""
    global _last_read
    last = _last_read
    if moment == last[0] and last[1] is not None:
        return last[1]
    value = utc(dt.datetime.fromisoformat(moment) if isinstance(moment, str) else moment)
    _last_read = (moment, value)
    return value


def _dead_letter(row: Any) -> DeadLetter:
    return DeadLetter(
        row.event_id,
        row.application_id,
        row.case_id,
        row.item,
        row.department,
        row.attempts,
        row.last_error or "",
        utc(row.dead_lettered_at),
        utc(row.created_at),
    )


class SqlOutbox:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, dispatches: Sequence[Dispatch]) -> None:
        self.prepare_add(dispatches)()

    def prepare_add(self, dispatches: Sequence[Dispatch]) -> Write:
        return _ADD.bind(
            self.connection,
            [
                {
                    "event_id": d.event_id,
                    "application_id": d.application_id,
                    "case_id": d.case_id,
                    "item": d.item,
                    "department": d.department,
                    "payload": _ENCODE(d.data),
                    "created_at": utc(d.created_at),
                    "next_attempt_at": utc(d.created_at),
                    "attempts": 0,
                    "shard": shard_of(d.application_id),
                }
                for d in dispatches
            ],
        )

    def pending(self, limit: int, now: dt.datetime, partition: Partition = EVERYTHING) -> list[Dispatch]:
        query = (
            select(*_PENDING)
            .where(
                outbox.c.delivered_at.is_(None),
                outbox.c.dead_lettered_at.is_(None),
                outbox.c.next_attempt_at <= utc(now),
            )
            .order_by(outbox.c.next_attempt_at, outbox.c.id)
            .limit(limit)
        )
        if not partition.whole:
            query = query.where(outbox.c.shard % partition.count == partition.index)
        return [
            Dispatch(
                r.event_id,
                r.application_id,
                r.case_id,
                r.item,
                r.department,
                JsonObject(r.payload),
                _utc(r.created_at),
                r.attempts,
            )
            for r in self.connection.execute(query).all()
        ]

    def mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        self.prepare_mark_delivered(event_ids, at)()

    def prepare_mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> Write:
        return _DELIVERED.bind(
            self.connection, [{"b_event_id": event_id, "b_at": utc(at)} for event_id in event_ids]
        )

    def mark_failed(self, failures: Sequence[FailedDelivery], at: dt.datetime) -> None:
        if failures:
            self.connection.execute(
                _FAILED,
                [
                    {
                        "b_event_id": f.event_id,
                        "b_attempts": f.attempts,
                        "b_error": f.error,
                        "b_next": utc(f.retry_at or at),
                        "b_dead": None if f.retry_at else utc(at),
                    }
                    for f in failures
                ],
            )

    def dead_letters(self, department: str | None = None, event_id: str | None = None) -> list[DeadLetter]:
        query = select(outbox).where(outbox.c.dead_lettered_at.is_not(None))
        if department is not None:
            query = query.where(outbox.c.department == department)
        if event_id is not None:
            query = query.where(outbox.c.event_id == event_id)
        rows = self.connection.execute(query.order_by(outbox.c.dead_lettered_at, outbox.c.id))
        return [_dead_letter(r) for r in rows]

    def replay(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        if event_ids:
            self.connection.execute(
                update(outbox)
                .where(outbox.c.event_id.in_(event_ids), outbox.c.dead_lettered_at.is_not(None))
                .values(dead_lettered_at=None, next_attempt_at=utc(at))
            )
