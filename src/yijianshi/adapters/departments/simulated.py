"""A simulated department: receives cases (once per event id), then accepts and completes
them after a configurable delay with realistic outputs. For the demo, tests and benchmarks.

Its inbox is a table in the database it is given, so what it received survives a crash: a store
of its own beside the platform's (`engine.department_store_url`: on SQLite a file of its own, on
PostgreSQL the platform's database).

Answers the platform has collected (`done`) are marked in the inbox with the department's next
write: with the next delivery it receives, or before it next looks for answers due, whichever
comes first. The worker's round is deliver, collect answers, apply them, mark them done; the mark
rides on the next round's delivery instead of costing a commit of its own. A crash before the
mark is written hands those answers over again, which the platform recognises as applied (the
same as a crash between applying and marking always could).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, update
from sqlalchemy.schema import CreateIndex, CreateTable

from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.adapters.sql.driver import DriverStatement, insert_or_ignore
from yijianshi.adapters.sql.engine import department_store_url, make_engine
from yijianshi.adapters.sql.outbox import JsonObject
from yijianshi.adapters.sql.tables import simulated_inbox
from yijianshi.domain.catalog import Catalog
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DeliveryOutcome,
    DepartmentAnswer,
    Dispatch,
    Partition,
    shard_of,
)

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode
_MARK = DriverStatement(
    update(simulated_inbox)
    .where(simulated_inbox.c.event_id == bindparam("b_event_id"))
    .values(done_at=bindparam("b_at", type_=simulated_inbox.c.done_at.type))
)
_COLUMNS = ("event_id", "case_id", "item", "department", "payload", "received_at", "due_at", "shard")
_RECEIVE = insert_or_ignore(simulated_inbox, *_COLUMNS)


def _text(data: Mapping[str, Any]) -> str:
    """A payload as JSON text: as read from the outbox when it was (no parse, no encoding)."""
    return data.text if isinstance(data, JsonObject) else _ENCODE(data)


def open_department_store(url: str, platform: Engine) -> Engine:
    """The engine of the simulated departments' own store, for a platform at `url` whose engine is
    `platform` (the same engine where they share the database: engine.department_store_url).

    A store of their own holds just the inbox, made here if missing: IF NOT EXISTS, since
    several workers may start at once on a new file (the platform's migrations do not run on
    it; a change to the inbox's columns or indexes must be made here too). Cases received into
    the platform's database before are moved in (`move_unanswered`).
    """
    store_url = department_store_url(url)
    if store_url == url:
        return platform
    store = make_engine(store_url)
    with store.begin() as connection:
        connection.execute(CreateTable(simulated_inbox, if_not_exists=True))
        for index in sorted(simulated_inbox.indexes, key=lambda i: str(i.name)):
            connection.execute(CreateIndex(index, if_not_exists=True))
    move_unanswered(platform, store)
    return store


def move_unanswered(source: Engine, store: Engine) -> int:
    """Move the cases a simulated department received into `source` and has not answered yet
    into `store`, its own store now; return how many. For a database written before the
    departments had a store of their own: what they had received is answered from the new one.

    Copied first, then deleted, each in its own transaction: a crash in between leaves copies
    that the next move ignores (by event id) before it deletes them.
    """
    if source is store:
        return 0
    with source.connect() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(
                select(*(simulated_inbox.c[name] for name in _COLUMNS)).where(
                    simulated_inbox.c.done_at.is_(None)
                )
            )
        ]
    if not rows:
        return 0
    for row in rows:
        row["payload"] = _text(row["payload"])
    with store.begin() as connection:
        _RECEIVE.run(connection, rows)  # received again: one already there is left as it is
    moved = [row["event_id"] for row in rows]
    with source.begin() as connection:
        for start in range(0, len(moved), 500):  # within any database's limit of parameters
            connection.execute(
                simulated_inbox.delete().where(simulated_inbox.c.event_id.in_(moved[start : start + 500]))
            )
    return len(rows)


class SimulatedDepartment:
    """Every department of the catalogue, simulated; `delay` is how long each takes to answer."""

    def __init__(
        self,
        engine: Engine,
        catalog: Catalog,
        now: Callable[[], dt.datetime],
        delay: dt.timedelta = dt.timedelta(0),
        seed: int | None = None,
    ) -> None:
        self.engine = engine
        self.catalog = catalog
        self.now = now
        self.delay = delay
        self.rng = random.Random(seed)
        self._collected: list[str] = []  # answers collected, not yet marked done in the inbox
        self._lock = threading.Lock()

    def deliver(self, dispatch: Dispatch) -> DeliveryOutcome:
        """Receive a case; a second delivery of the same event id changes nothing."""
        return self.deliver_many([dispatch])[0]

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """Receive every case in one statement: always delivered (a database error raises)."""
        now = self.now()
        rows = [
            {
                "event_id": d.event_id,
                "case_id": d.case_id,
                "item": d.item,
                "department": d.department,
                "payload": _text(d.data),
                "received_at": now,
                "due_at": now + self.delay,
                "shard": shard_of(d.application_id),
            }
            for d in dispatches
        ]
        if rows:
            with self._marking() as mark, self.engine.begin() as connection:
                marks, receive = mark(connection, now), _RECEIVE.bind(connection, rows)
                marks()  # on SQLite, the first write takes the database's write lock: all is ready
                receive()
        return [DeliveryOutcome(d.event_id) for d in dispatches]

    def due(self, limit: int, partition: Partition = EVERYTHING) -> list[DepartmentAnswer]:
        """Cases of `partition` whose answer is due, with the outputs the department produces."""
        now = self.now()
        if self._collected:
            with self._marking() as mark, self.engine.begin() as connection:
                mark(connection, now)()
        query = (
            select(
                simulated_inbox.c.event_id,
                simulated_inbox.c.case_id,
                simulated_inbox.c.item,
                simulated_inbox.c.payload,
            )
            .where(simulated_inbox.c.done_at.is_(None), simulated_inbox.c.due_at <= now)
            .order_by(simulated_inbox.c.due_at)
            .limit(limit)
        )
        if not partition.whole:
            query = query.where(simulated_inbox.c.shard % partition.count == partition.index)
        with self.engine.connect() as connection:
            rows = connection.execute(query).all()
        return [
            DepartmentAnswer(
                r.event_id,
                r.case_id,
                item_outputs(self.catalog, self.catalog.items[r.item], r.payload, now.date(), self.rng),
            )
            for r in rows
        ]

    def duplicate_deliveries(self) -> int:
        with self.engine.connect() as connection:
            repeated = (
                select(simulated_inbox.c.case_id)
                .group_by(simulated_inbox.c.case_id)
                .having(func.count() > 1)
                .subquery()
            )
            return connection.execute(select(func.count()).select_from(repeated)).scalar_one()

    def done(self, event_ids: Sequence[str]) -> None:
        """The platform collected these answers: they are marked with the next write (see the
        module docstring), and not handed over again by this department meanwhile."""
        with self._lock:
            self._collected.extend(event_ids)

    @contextlib.contextmanager
    def _marking(self) -> Iterator[Callable[[Connection, dt.datetime], Callable[[], int]]]:
        """Mark the answers collected so far in a transaction opened inside this block; they are
        forgotten here only once it committed (the block ended without an error)."""
        with self._lock:
            collected = list(self._collected)

        def mark(connection: Connection, now: dt.datetime) -> Callable[[], int]:
            """The marking, ready to run in `connection`'s transaction."""
            return _MARK.bind(connection, [{"b_event_id": event_id, "b_at": now} for event_id in collected])

        yield mark
        with self._lock:  # only ever appended to meanwhile
            del self._collected[: len(collected)]
