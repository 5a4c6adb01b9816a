"""The outbox on SQL: failed deliveries are retried with backoff, dead-lettered after the budget,
and replayed by an administrator, on SQLite and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, event, select, text

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.sql.engine import make_engine
from yijianshi.adapters.sql.migrate import upgrade
from yijianshi.adapters.sql.tables import outbox
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context
from yijianshi.services.delivery.dead_letters import (
    REPLAYED,
    ListDeadLetters,
    ReplayDeadLetter,
    ReplayDepartment,
    dead_letters,
    replay_dead_letter,
    replay_department,
)
from yijianshi.services.delivery.dispatching import DEAD_LETTERED, DeliverDue, RetryPolicy, deliver_pending
from yijianshi.services.delivery.ports import DeliveryOutcome, Dispatch
from yijianshi.services.errors import NoSuchDeadLetter

RETRIES = RetryPolicy(base_s=60, cap_s=3600, budget=3, random=lambda: 0.0)
UNAVAILABLE = "HTTP 503 Service Unavailable"


class Department:
    """A gateway whose departments in `down` fail every delivery; it remembers what it received."""

    def __init__(self, down: set[str]) -> None:
        self.down = down
        self.received: list[str] = []

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        self.received += [d.event_id for d in dispatches if d.department not in self.down]
        return [
            DeliveryOutcome(d.event_id, UNAVAILABLE if d.department in self.down else None)
            for d in dispatches
        ]


class EveryOther:
    """A gateway that fails every other dispatch of a batch."""

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        return [DeliveryOutcome(d.event_id, UNAVAILABLE if n % 2 else None) for n, d in enumerate(dispatches)]


def submitted(engine: Engine, applications: int = 1) -> tuple[Context, FixedClock]:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    for n in range(applications):
        submit_application(context, SubmitApplication("birth", "p", f"k{n}", birth_values()))
    return context, clock


def deliver(context: Context, gateway: Department) -> int:
    return deliver_pending(context, DeliverDue(retries=RETRIES), gateway)


def rows(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return {r.department: r for r in connection.execute(select(outbox))}


def test_a_failed_delivery_is_retried_after_its_backoff_then_delivered(engine: Engine) -> None:
    context, clock = submitted(engine)
    department = Department(down={"ruian-hospital"})
    assert deliver(context, department) == 1  # the birth medical certificate: nothing is upstream of it
    failed = rows(engine)["ruian-hospital"]
    assert (failed.attempts, failed.delivered_at, failed.last_error) == (1, None, UNAVAILABLE)
    assert deliver(context, department) == 0, "nothing is due before the backoff has passed"
    clock.moment += dt.timedelta(seconds=29)  # the backoff, 60 s, less the jitter (at most half of it)
    assert deliver(context, department) == 0
    department.down.clear()
    clock.moment += dt.timedelta(seconds=1)
    assert deliver(context, department) == 1
    delivered = rows(engine)["ruian-hospital"]
    assert delivered.attempts == 2
    assert delivered.delivered_at is not None
    assert len(department.received) == 1


def test_a_dispatch_that_uses_its_budget_is_dead_lettered_and_left_alone(engine: Engine) -> None:
    context, clock = submitted(engine)
    department = Department(down={"ruian-hospital"})
    for _ in range(RETRIES.budget):
        deliver(context, department)
        clock.moment += dt.timedelta(hours=1)
    clock.moment += dt.timedelta(days=30)
    assert deliver(context, department) == 0, "no more automatic attempts"
    [letter] = dead_letters(context, ListDeadLetters())
    assert (letter.department, letter.item) == ("ruian-hospital", "birth-medical-certificate")
    assert letter.attempts == RETRIES.budget
    assert letter.last_error == UNAVAILABLE
    assert letter.dead_lettered_at == NOW + dt.timedelta(hours=2)
    assert dead_letters(context, ListDeadLetters("ruian-psb")) == []
    with SqlUnitOfWork(engine) as uow:
        noted = [e for e in uow.audit.log(letter.application_id) if e.type == DEAD_LETTERED]
    assert [(e.subject, e.data["attempts"]) for e in noted] == [(letter.case_id, 3)]


def test_a_replayed_dead_letter_is_due_at_once_with_its_attempts_kept_and_audited(engine: Engine) -> None:
    context, clock = submitted(engine, applications=2)
    department = Department(down={"ruian-hospital"})
    for _ in range(RETRIES.budget):
        deliver(context, department)
        clock.moment += dt.timedelta(hours=1)
    first, second = dead_letters(context, ListDeadLetters())
    assert replay_dead_letter(context, ReplayDeadLetter("admin:admin", first.event_id)) == first
    with pytest.raises(NoSuchDeadLetter):
        replay_dead_letter(context, ReplayDeadLetter("admin:admin", first.event_id))
    assert dead_letters(context, ListDeadLetters()) == [second]
    department.down.clear()
    assert deliver(context, department) == 1
    assert first.event_id in department.received
    assert rows_by_event(engine)[first.event_id].attempts == RETRIES.budget + 1
    with SqlUnitOfWork(engine) as uow:
        [replayed] = [e for e in uow.audit.log(first.application_id) if e.type == REPLAYED]
    assert (replayed.actor, replayed.subject, replayed.data["event_id"]) == (
        "admin:admin",
        first.case_id,
        first.event_id,
    )
    assert replay_department(context, ReplayDepartment("admin:admin", "ruian-psb")) == []
    assert replay_department(context, ReplayDepartment("admin:admin", "ruian-hospital")) == [second]
    assert dead_letters(context, ListDeadLetters()) == []


def rows_by_event(engine: Engine) -> dict[str, Any]:
    with engine.connect() as connection:
        return {r.event_id: r for r in connection.execute(select(outbox))}


def test_a_batch_records_its_outcomes_with_one_statement_per_kind(engine: Engine) -> None:
    context, _ = submitted(engine, applications=20)
    statements: list[tuple[str, int]] = []

    def count(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, many: bool) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            statements.append((statement, len(parameters) if many else 1))

    event.listen(engine, "before_cursor_execute", count)
    try:
        assert deliver(context, EveryOther()) == 20
    finally:
        event.remove(engine, "before_cursor_execute", count)
    assert len(statements) == 2, "one executemany for the delivered, one for the failed"
    assert sorted(n for _, n in statements) == [10, 10]


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return (
        f"sqlite:///{tmp_path / 'old.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )


def test_what_was_pending_before_the_upgrade_is_due_at_once_after_it(url: str) -> None:
    engine = make_engine(url)
    upgrade(engine, "0006")
    with engine.begin() as connection:  # a dispatch written by the previous version
        connection.execute(
            text(
                "INSERT INTO outbox (event_id, application_id, case_id, item, department, payload, "
                "created_at, attempts) VALUES ('old', 'a', 'c', 'household', 'ruian-psb', '{}', :at, 0)"
            ),
            {"at": NOW},
        )
    upgrade(engine)
    with SqlUnitOfWork(engine) as uow:
        pending = uow.outbox.pending(10, NOW)
    assert [(d.event_id, d.attempts) for d in pending] == [("old", 0)]
    engine.dispose()
