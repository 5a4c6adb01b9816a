import datetime as dt
import itertools
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, func, select

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.tables import outbox, simulated_inbox
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.bootstrap import assemble_worker
from yijianshi.domain.cases import ApplicationStatus, CaseState
from yijianshi.domain.identifiers import id_number_problem
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.cases import decisions
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import SHARDS, Partition, shard_of
from yijianshi.services.delivery.worker import Worker
from yijianshi.services.errors import ConcurrentUpdate, UnknownCase


def setup(engine: Engine, delay: dt.timedelta = dt.timedelta(0)) -> tuple[Context, Worker]:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    department = SimulatedDepartment(engine, CATALOG, clock.now, delay, seed=7)
    return context, assemble_worker(context, department, department)


def test_a_birth_application_completes_with_outputs_flowing_between_departments(engine: Engine) -> None:
    context, worker = setup(engine)
    submitted = submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    worker.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert app.status is ApplicationStatus.COMPLETED
    assert {c.state for c in app.cases.values()} == {CaseState.COMPLETED}
    assert id_number_problem(app.data["child.id_number"]) is None
    assert app.data["child.id_number"].startswith("330381")


def test_each_case_reaches_its_department_exactly_once(engine: Engine) -> None:
    context, worker = setup(engine)
    for n in range(5):
        submit_application(context, SubmitApplication("birth", "p", f"k{n}", birth_values()))
    worker.run_until_idle()
    # a crash after delivery but before it was recorded delivers again: nothing changes
    with engine.begin() as connection:
        connection.execute(outbox.update().values(delivered_at=None))
    worker.run_until_idle()
    with engine.connect() as connection:
        per_case = connection.execute(
            select(simulated_inbox.c.case_id, func.count()).group_by(simulated_inbox.c.case_id)
        ).all()
        undelivered = connection.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()
    assert len(per_case) == 35
    assert {n for _, n in per_case} == {1}
    assert undelivered == 0


def test_a_department_receives_only_the_fields_its_item_declares(engine: Engine) -> None:
    context, worker = setup(engine)
    submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    worker.run_until_idle()
    with engine.connect() as connection:
        rows = connection.execute(select(outbox.c.item, outbox.c.payload)).all()
    for item, payload in rows:
        declared = {f.key for f in CATALOG.items[item].fields}
        assert set(payload) <= declared, item
    vaccination = next(p for i, p in rows if i == "vaccination-certificate")
    assert "mother.bank_account" not in vaccination


def test_cases_wait_for_the_departments_delay(engine: Engine) -> None:
    context, worker = setup(engine, delay=dt.timedelta(minutes=30))
    submitted = submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    worker.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert app.status is ApplicationStatus.IN_PROGRESS
    assert {c.state for c in app.cases.values()} == {CaseState.SENT, CaseState.WAITING}


def test_workers_on_two_partitions_each_finish_only_their_own_applications(engine: Engine) -> None:
    numbers = itertools.count()
    context = Context(
        CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), FixedClock(NOW), ids=lambda: f"id-{next(numbers)}"
    )
    department = SimulatedDepartment(engine, CATALOG, context.clock.now, seed=7)
    first, second = (
        assemble_worker(context, department, department, partition=Partition(n, 2)) for n in (0, 1)
    )
    submitted = [
        submit_application(context, SubmitApplication("birth", "p", f"k{n}", birth_values())).application_id
        for n in range(6)
    ]
    mine = {app_id for app_id in submitted if shard_of(app_id) % 2 == 0}
    assert 0 < len(mine) < len(submitted)  # the ids are fixed: so is their spread
    first.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        done = {
            app_id
            for app_id in submitted
            if uow.applications.get(app_id).status is ApplicationStatus.COMPLETED
        }  # type: ignore[union-attr]
    assert done == mine
    second.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        statuses = {uow.applications.get(app_id).status for app_id in submitted}  # type: ignore[union-attr]
    assert statuses == {ApplicationStatus.COMPLETED}
    assert department.duplicate_deliveries() == 0


def test_a_partition_must_be_one_of_its_count() -> None:
    with pytest.raises(ValueError, match="partition 2 of 2"):
        Partition(2, 2)
    assert Partition().whole
    assert 0 <= shard_of("an application") < SHARDS
    assert shard_of("an application") == shard_of("an application")


def test_a_rounds_deliveries_are_recorded_when_its_answers_fall_back_to_one_transaction_each(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, worker = setup(engine)
    submitted = submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    original, calls = decisions.prepare_in, []

    def conflicting_once(*args: Any, **kwargs: Any) -> Any:
        calls.append(args)
        if len(calls) == 1:
            raise ConcurrentUpdate(submitted.application_id)  # another writer came first
        return original(*args, **kwargs)

    monkeypatch.setattr(decisions, "prepare_in", conflicting_once)
    worker.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
    assert app is not None
    assert app.status is ApplicationStatus.COMPLETED
    with engine.connect() as connection:
        undelivered = connection.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()
    assert undelivered == 0
    assert len(calls) > 1


def test_a_rounds_deliveries_stay_recorded_when_its_answers_fail(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    context, worker = setup(engine)
    submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))

    def failing(*args: Any, **kwargs: Any) -> None:
        raise UnknownCase("a case nobody knows")

    monkeypatch.setattr(decisions, "prepare_in", failing)
    with pytest.raises(UnknownCase):
        worker.run_once()
    with engine.connect() as connection:
        undelivered = connection.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()
    assert undelivered == 0


def test_collected_answers_are_marked_with_the_departments_next_write_and_a_lost_mark_changes_nothing(
    engine: Engine,
) -> None:
    context, worker = setup(engine)
    submitted = submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))

    def unmarked() -> int:
        with engine.connect() as connection:
            return connection.execute(
                select(func.count()).select_from(simulated_inbox).where(simulated_inbox.c.done_at.is_(None))
            ).scalar_one()

    worker.run_once()  # stage 1 delivered, answered and applied; its mark waits for the next write
    assert unmarked() == 1
    worker.run_once()  # the next round's delivery carries the mark
    assert unmarked() == 3  # stage 2's three answers, collected, their mark pending
    # the worker dies with marks unwritten: a new department hands those answers over again
    department = SimulatedDepartment(engine, CATALOG, context.clock.now, seed=8)
    again = assemble_worker(context, department, department)
    assert again.run_once() == 2 + 3 + 2  # stage 3 delivered; stage 2 collected again, stage 3 answered
    again.run_until_idle()
    with SqlUnitOfWork(engine) as uow:
        app = uow.applications.get(submitted.application_id)
        trail = uow.audit.log(submitted.application_id)
    assert app is not None
    assert app.status is ApplicationStatus.COMPLETED
    completions = [e.subject for e in trail if e.type == "org.yijianshi.case.completed"]
    assert sorted(completions) == sorted(app.cases)  # each case completed once: the repeat changed nothing
    assert unmarked() == 0
