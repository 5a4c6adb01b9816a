"""Simulated departments: cases received once per event id, answered after the delay with the
outputs their item declares, shared out by partition, not handed out again once done, and
duplicates counted, on every backend (the in-memory department, SimulatedDepartment on SQLite
in its own store and on PostgreSQL in the platform's database)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import pytest
from sqlalchemy import Engine

from tests.clock import FixedClock
from tests.contracts.samples import NOW, new_id
from tests.fakes import sample_catalog
from yijianshi.adapters.departments.simulated import SimulatedDepartment, open_department_store
from yijianshi.adapters.memory.departments import MemoryDepartment
from yijianshi.adapters.sql.tables import simulated_inbox
from yijianshi.domain.identifiers import id_number_problem
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    AnsweringDepartment,
    DepartmentGateway,
    Dispatch,
    Partition,
    shard_of,
)

MINUTE = dt.timedelta(minutes=1)
HOSPITAL = "birth-medical-certificate"
POLICE = "birth-household-registration"  # outputs the child's ID number, from the birth date


class Department(DepartmentGateway, AnsweringDepartment, Protocol):
    """A simulated department: both ports at once."""


Departments = Callable[..., Department]


@pytest.fixture(scope="session")
def sqlite_department_store(sqlite_engine: Engine) -> Iterator[Engine]:
    """The departments' own SQLite file beside the platform's, as bootstrap opens it."""
    store = open_department_store(sqlite_engine.url.render_as_string(hide_password=False), sqlite_engine)
    assert store is not sqlite_engine
    yield store
    store.dispose()


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def departments(
    backend: str, engine: Engine | None, clock: FixedClock, request: pytest.FixtureRequest
) -> Departments:
    """Makes departments (`delay`, `seed`) on one empty inbox of the backend, timed by `clock`."""
    if engine is None:
        return lambda delay=dt.timedelta(0), seed=7: MemoryDepartment(
            sample_catalog(), clock.now, delay, seed
        )
    store: Engine = request.getfixturevalue("sqlite_department_store") if backend == "sqlite" else engine
    with store.begin() as connection:
        connection.execute(simulated_inbox.delete())
    return lambda delay=dt.timedelta(0), seed=7: SimulatedDepartment(
        store, sample_catalog(), clock.now, delay, seed
    )


def dispatch(
    item: str = HOSPITAL, case_id: str | None = None, data: dict[str, Any] | None = None
) -> Dispatch:
    department = sample_catalog().items[item].department
    values = data if data is not None else {"mother.name": "李秀英", "child.name": "王小明"}
    return Dispatch(new_id("event"), new_id("app"), case_id or new_id("case"), item, department, values, NOW)


def due(department: Department, limit: int = 100, partition: Partition = EVERYTHING) -> list[str]:
    return [answer.event_id for answer in department.due(limit, partition)]


# Receiving


def test_every_dispatch_is_delivered_with_an_outcome_in_order(departments: Departments) -> None:
    department = departments()
    batch = [dispatch() for _ in range(3)]
    outcomes = department.deliver_many(batch)
    assert [o.event_id for o in outcomes] == [d.event_id for d in batch]
    assert all(o.delivered for o in outcomes)
    assert department.deliver_many([]) == []


def test_a_delivery_is_received_once_per_event_id_and_redelivery_is_harmless(
    departments: Departments,
) -> None:
    department = departments()
    sent = dispatch()
    department.deliver_many([sent])
    again = department.deliver_many([sent, sent])
    assert [o.event_id for o in again] == [sent.event_id, sent.event_id]
    assert all(o.delivered for o in again)
    assert due(department) == [sent.event_id]
    assert department.duplicate_deliveries() == 0


# Answers


def test_an_answer_comes_due_after_the_delay(departments: Departments, clock: FixedClock) -> None:
    department = departments(delay=dt.timedelta(hours=2))
    sent = dispatch()
    department.deliver_many([sent])
    clock.moment = NOW + dt.timedelta(hours=2) - dt.timedelta(microseconds=1)
    assert due(department) == []
    clock.moment = NOW + dt.timedelta(hours=2)
    assert due(department) == [sent.event_id]


def test_a_redelivery_does_not_put_the_answer_off(departments: Departments, clock: FixedClock) -> None:
    department = departments(delay=dt.timedelta(hours=2))
    sent = dispatch()
    department.deliver_many([sent])
    clock.moment = NOW + dt.timedelta(hours=1)
    department.deliver_many([sent])
    clock.moment = NOW + dt.timedelta(hours=2)
    assert due(department) == [sent.event_id]


def test_answers_are_handed_out_earliest_due_first_at_most_the_limit(
    departments: Departments, clock: FixedClock
) -> None:
    department = departments(delay=MINUTE)
    first, second = dispatch(), dispatch()
    department.deliver_many([first])
    clock.moment = NOW + MINUTE
    department.deliver_many([second])
    assert due(department) == [first.event_id]
    clock.moment = NOW + 2 * MINUTE
    assert due(department, limit=1) == [first.event_id]
    assert due(department) == [first.event_id, second.event_id]
    assert due(department, limit=0) == []


def test_only_the_partitions_answers_are_handed_out(departments: Departments) -> None:
    department = departments()
    batch = [dispatch() for _ in range(24)]
    department.deliver_many(batch)
    shares = [set(due(department, partition=Partition(index, 3))) for index in range(3)]
    for index, share in enumerate(shares):
        assert share == {d.event_id for d in batch if shard_of(d.application_id) % 3 == index}
    assert set.union(*shares) == {d.event_id for d in batch}


def test_answers_not_done_are_handed_out_again(departments: Departments) -> None:
    department = departments()
    sent = dispatch()
    department.deliver_many([sent])
    assert due(department) == [sent.event_id]
    assert due(department) == [sent.event_id]


def test_done_answers_are_not_handed_out_again(departments: Departments, clock: FixedClock) -> None:
    department = departments()
    answered, waiting = dispatch(), dispatch()
    department.deliver_many([answered, waiting])
    department.done([answered.event_id, "event-never-received"])
    assert due(department) == [waiting.event_id]
    clock.moment = NOW + MINUTE
    later = dispatch()
    department.deliver_many([later, answered])  # a redelivery of a done case: still done
    department.done([waiting.event_id])
    assert due(department) == [later.event_id]
    assert due(department) == [later.event_id]


def test_the_outputs_are_those_the_item_declares(departments: Departments) -> None:
    department = departments()
    catalog = sample_catalog()
    sent = [dispatch(HOSPITAL), dispatch(POLICE, data={"child.birth_date": "2026-03-01T08:30:00"})]
    department.deliver_many(sent)
    answers = {a.event_id: a for a in department.due(10)}
    for d in sent:
        answer = answers[d.event_id]
        item = catalog.items[d.item]
        assert answer.case_id == d.case_id
        assert set(answer.outputs) == {*item.outputs} | {
            f"certificate.{p.certificate}.{p.subject}" for p in item.issues
        }
        assert all(isinstance(v, str) and v for v in answer.outputs.values())
    child_id = answers[sent[1].event_id].outputs["child.id_number"]
    assert id_number_problem(child_id) is None
    assert child_id[6:14] == "20260301"  # from the birth date the case was sent with


# Duplicates


def test_a_case_received_under_different_event_ids_counts_as_a_duplicate(departments: Departments) -> None:
    department = departments()
    twice, thrice, once = new_id("case"), new_id("case"), new_id("case")
    department.deliver_many([dispatch(case_id=twice), dispatch(case_id=thrice), dispatch(case_id=once)])
    assert department.duplicate_deliveries() == 0
    department.deliver_many([dispatch(case_id=twice), dispatch(case_id=thrice)])
    department.deliver_many([dispatch(case_id=thrice)])
    assert department.duplicate_deliveries() == 2
    answered = {a.case_id for a in department.due(10)}
    assert answered == {twice, thrice, once}
