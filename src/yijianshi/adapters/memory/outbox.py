"""The transactional outbox in memory (see database.py and services/delivery/ports.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from collections.abc import Sequence

from yijianshi.adapters.memory.applications import utc
from yijianshi.adapters.memory.database import OutboxRow, Transaction
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DeadLetter,
    Dispatch,
    FailedDelivery,
    Partition,
    shard_of,
)
from yijianshi.services.unit_of_work import Write

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


class DuplicateEventId(Exception):
    """A dispatch's event id is in the outbox already (SQL: a unique key violated)."""


def _dead_letter(row: OutboxRow) -> DeadLetter:
    assert row.dead_lettered_at is not None
    return DeadLetter(
        row.event_id,
        row.application_id,
        row.case_id,
        row.item,
        row.department,
        row.attempts,
        row.last_error or "",
        row.dead_lettered_at,
        row.created_at,
    )


class MemoryOutbox:
    """The outbox of one unit of work (ports.Outbox)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction

    def add(self, dispatches: Sequence[Dispatch]) -> None:
        self.prepare_add(dispatches)()

    def prepare_add(self, dispatches: Sequence[Dispatch]) -> Write:
        # the payload encoded now, as SQL makes its rows: data that is no JSON fails here
        made = [(d, _ENCODE(dict(d.data)), utc(d.created_at)) for d in dispatches]

        def write() -> None:
            if not made:
                return
            tables = self.transaction.write()
            ids = [d.event_id for d, _, _ in made]
            if len(set(ids)) != len(ids) or any(i in tables.outbox for i in ids):
                raise DuplicateEventId(", ".join(ids))
            for d, payload, created_at in made:
                tables.outbox[d.event_id] = OutboxRow(
                    tables.next_order(),
                    d.event_id,
                    d.application_id,
                    d.case_id,
                    d.item,
                    d.department,
                    payload,
                    created_at,
                    shard_of(d.application_id),
                    next_attempt_at=created_at,
                )

        return write

    def pending(self, limit: int, now: dt.datetime, partition: Partition = EVERYTHING) -> list[Dispatch]:
        due = sorted(
            (
                row
                for row in self.transaction.read().outbox.values()
                if row.delivered_at is None
                and row.dead_lettered_at is None
                and row.next_attempt_at <= now
                and row.shard % partition.count == partition.index
            ),
            key=lambda row: (row.next_attempt_at, row.order),
        )
        return [
            Dispatch(
                r.event_id,
                r.application_id,
                r.case_id,
                r.item,
                r.department,
                json.loads(r.payload),
                r.created_at,
                r.attempts,
            )
            for r in due[: max(limit, 0)]
        ]

    def mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        self.prepare_mark_delivered(event_ids, at)()

    def prepare_mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> Write:
        wanted, when = list(event_ids), utc(at)

        def write() -> None:
            if not wanted:
                return
            outbox = self.transaction.write().outbox
            for event_id in wanted:
                row = outbox.get(event_id)
                if row is not None:
                    outbox[event_id] = dataclasses.replace(row, delivered_at=when, attempts=row.attempts + 1)

        return write

    def mark_failed(self, failures: Sequence[FailedDelivery], at: dt.datetime) -> None:
        if not failures:
            return
        outbox = self.transaction.write().outbox
        for f in failures:
            row = outbox.get(f.event_id)
            if row is not None:
                outbox[f.event_id] = dataclasses.replace(
                    row,
                    attempts=f.attempts,
                    last_error=f.error,
                    next_attempt_at=utc(f.retry_at or at),
                    dead_lettered_at=None if f.retry_at else utc(at),
                )

    def dead_letters(self, department: str | None = None, event_id: str | None = None) -> list[DeadLetter]:
        dead = [
            row
            for row in self.transaction.read().outbox.values()
            if row.dead_lettered_at is not None
            and (department is None or row.department == department)
            and (event_id is None or row.event_id == event_id)
        ]
        dead.sort(key=lambda row: (row.dead_lettered_at, row.order))
        return [_dead_letter(row) for row in dead]

    def replay(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        if not event_ids:
            return
        outbox = self.transaction.write().outbox
        for event_id in event_ids:
            row = outbox.get(event_id)
            if row is not None and row.dead_lettered_at is not None:
                outbox[event_id] = dataclasses.replace(row, dead_lettered_at=None, next_attempt_at=utc(at))
