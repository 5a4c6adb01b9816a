"""Use cases of delivery through the fake context (tests/fakes.py): dispatches handed to
departments, failed deliveries retried then dead-lettered and replayed, the worker's round, and
the simulation of whole runs."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.fakes import (
    NOW,
    AnsweringDepartments,
    RecordingGateway,
    case_of,
    clock_of,
    fake_context,
    submit_birth,
)
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import assemble_worker
from yijianshi.domain import audit
from yijianshi.domain.accounts import Principal, Role
from yijianshi.services.applications.queries import ListApplications, applications_of
from yijianshi.services.applications.simulation import Simulate, simulate
from yijianshi.services.cases.actions import DecideCase, department_decision
from yijianshi.services.context import Context
from yijianshi.services.delivery.dead_letters import (
    ListDeadLetters,
    ReplayDeadLetter,
    ReplayDepartment,
    dead_letters,
    replay_dead_letter,
    replay_department,
)
from yijianshi.services.delivery.dispatching import DeliverDue, RetryPolicy, deliver_pending
from yijianshi.services.errors import NoSuchDeadLetter

# a failure waits half its backoff: 30 s after the first, 60 s after the second; the third is the last
RETRIES = RetryPolicy(base_s=60, cap_s=600, budget=3, random=lambda: 0.0)
HOSPITAL = "ruian-hospital"
ADMIN = "admin:ops-1"


def deliver(context: Context, gateway: RecordingGateway, after_s: float = 0) -> int:
    """Move the clock on by `after_s` seconds, then run a delivery round; how many were tried."""
    clock_of(context).moment += dt.timedelta(seconds=after_s)
    return deliver_pending(context, DeliverDue(retries=RETRIES), gateway)


def trail(context: Context, application_id: str) -> list[audit.AuditEvent]:
    with context.unit_of_work() as uow:
        return uow.audit.log(application_id)


def dead_lettered(context: Context) -> tuple[str, RecordingGateway]:
    """A birth whose first dispatch failed three times: dead-lettered."""
    application_id = submit_birth(context)
    down = RecordingGateway(unreachable=[HOSPITAL])
    assert [deliver(context, down, after) for after in (0, 30, 60)] == [1, 1, 1]
    return application_id, down


# Retries and dead letters


def test_a_failed_delivery_is_retried_only_once_its_backoff_has_passed() -> None:
    context = fake_context()
    submit_birth(context)
    down = RecordingGateway(unreachable=[HOSPITAL])
    assert deliver(context, down) == 1
    assert deliver(context, down) == 0  # not due again yet
    assert deliver(context, down, after_s=29) == 0
    assert deliver(context, down, after_s=1) == 1  # 30 s after the first failure
    assert deliver(context, down, after_s=59) == 0
    up = RecordingGateway()
    assert deliver(context, up, after_s=1) == 1  # 60 s after the second
    assert [d.item for d in up.delivered] == ["birth-medical-certificate"]
    assert dead_letters(context, ListDeadLetters()) == []


def test_a_delivery_failing_its_whole_budget_is_dead_lettered_and_no_longer_tried() -> None:
    context = fake_context()
    application_id, down = dead_lettered(context)
    (letter,) = dead_letters(context, ListDeadLetters())
    assert (letter.application_id, letter.department, letter.item) == (
        application_id,
        HOSPITAL,
        "birth-medical-certificate",
    )
    assert letter.attempts == 3
    assert letter.last_error == "department ruian-hospital is unreachable"
    assert letter.dead_lettered_at == NOW + dt.timedelta(seconds=90)
    assert deliver(context, down, after_s=86400) == 0
    last = trail(context, application_id)[-1]
    assert (last.type, last.actor) == ("org.yijianshi.dispatch.dead_lettered", "system")
    assert last.data["attempts"] == 3


def test_an_administrator_replays_a_dead_letter_which_is_then_delivered_and_audited() -> None:
    context = fake_context()
    application_id, _ = dead_lettered(context)
    (letter,) = dead_letters(context, ListDeadLetters())
    assert replay_dead_letter(context, ReplayDeadLetter(ADMIN, letter.event_id)) == letter
    assert dead_letters(context, ListDeadLetters()) == []
    last = trail(context, application_id)[-1]
    assert (last.type, last.actor) == ("org.yijianshi.dispatch.replayed", ADMIN)
    assert last.data["last_error"] == "department ruian-hospital is unreachable"
    up = RecordingGateway()
    assert deliver(context, up) == 1
    assert [d.event_id for d in up.delivered] == [letter.event_id]
    with pytest.raises(NoSuchDeadLetter):
        replay_dead_letter(context, ReplayDeadLetter(ADMIN, letter.event_id))  # replayed already


def test_a_replayed_dead_letter_that_fails_again_is_dead_lettered_again_at_once() -> None:
    context = fake_context()
    _, down = dead_lettered(context)
    (letter,) = dead_letters(context, ListDeadLetters())
    replay_dead_letter(context, ReplayDeadLetter(ADMIN, letter.event_id))
    assert deliver(context, down) == 1
    (again,) = dead_letters(context, ListDeadLetters())
    assert (again.event_id, again.attempts) == (letter.event_id, 4)


def test_replaying_a_department_replays_its_dead_letters_only() -> None:
    context = fake_context()
    first, second = submit_birth(context, key="a"), submit_birth(context, key="b")
    down = RecordingGateway(unreachable=[HOSPITAL])
    assert [deliver(context, down, after) for after in (0, 30, 60)] == [2, 2, 2]
    assert dead_letters(context, ListDeadLetters("ruian-psb")) == []
    assert replay_department(context, ReplayDepartment(ADMIN, "ruian-psb")) == []
    replayed = replay_department(context, ReplayDepartment(ADMIN, HOSPITAL))
    assert sorted(d.application_id for d in replayed) == sorted([first, second])
    assert dead_letters(context, ListDeadLetters()) == []
    for application_id in (first, second):
        assert trail(context, application_id)[-1].type == "org.yijianshi.dispatch.replayed"


# The worker


def test_a_worker_round_delivers_collects_the_answers_and_applies_them() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    departments = AnsweringDepartments(context.catalog, clock_of(context))
    worker = assemble_worker(context, departments, departments)
    assert worker.run_once() == 2  # one delivered, one answered
    assert case_of(context, application_id, "birth-medical-certificate").state.value == "completed"
    assert case_of(context, application_id, "birth-household-registration").state.value == "sent"
    assert deliver_pending(context, DeliverDue(), RecordingGateway()) == 3  # the next ones


def test_the_worker_runs_an_application_to_its_end_and_its_trail_verifies() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    departments = AnsweringDepartments(context.catalog, clock_of(context))
    assemble_worker(context, departments, departments).run_until_idle()
    (row,) = applications_of(context, ListApplications("parent-1"))
    assert row.status == "completed"
    assert departments.duplicate_deliveries() == 0
    with context.unit_of_work() as uow:
        assert audit.verify(uow.audit.log(application_id), uow.audit.head(application_id)).ok


def test_a_worker_waits_for_a_department_that_answers_later() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    departments = AnsweringDepartments(context.catalog, clock_of(context), delay=dt.timedelta(hours=2))
    worker = assemble_worker(context, departments, departments)
    assert worker.run_once() == 1  # delivered only
    assert worker.run_once() == 0  # idle: nothing due
    clock_of(context).moment += dt.timedelta(hours=2)
    assert worker.run_once() == 1  # the answer
    assert case_of(context, application_id, "birth-medical-certificate").state.value == "completed"


def test_a_workers_first_round_records_the_time_limits_that_ran_out() -> None:
    context = fake_context()
    application_id = submit_birth(context)
    hospital = case_of(context, application_id, "birth-medical-certificate").id
    department_decision(
        context, DecideCase(Principal("doctor-1", Role.DEPARTMENT, "陈医生", HOSPITAL), hospital, "accept")
    )
    clock_of(context).moment += dt.timedelta(days=1)  # promised the same day
    worker = assemble_worker(context, RecordingGateway())
    assert worker.run_once() == 1  # the dispatch; the time limit is not counted as work
    last = trail(context, application_id)[-1]
    assert (last.type, last.actor) == ("org.yijianshi.case.time_limit_breached", "system:time-limits")


# The simulation


def test_a_simulation_submits_the_applications_and_counts_them_completed() -> None:
    context = fake_context()
    departments = AnsweringDepartments(context.catalog, clock_of(context))
    seen: list[tuple[str, int, int]] = []
    report = simulate(
        context,
        Simulate("birth", 3),
        assemble_worker(context, departments, departments),
        departments,
        SyntheticPeople(context.catalog, seed=1),
        lambda *step: seen.append(step),
    )
    assert (report.submitted, report.completed, report.rejected, report.lost, report.duplicates) == (
        3,
        3,
        0,
        0,
        0,
    )
    assert seen == [
        ("submit", 1, 3),
        ("submit", 2, 3),
        ("submit", 3, 3),
        ("check", 1, 3),
        ("check", 2, 3),
        ("check", 3, 3),
    ]
    assert len(applications_of(context, ListApplications("simulated-2"))) == 1


def test_a_simulation_counts_the_applications_left_unfinished_as_lost() -> None:
    context = fake_context()
    silent = AnsweringDepartments(context.catalog, clock_of(context), delay=dt.timedelta(days=365))
    report = simulate(
        context,
        Simulate("birth", 2),
        assemble_worker(context, silent, silent),
        silent,
        SyntheticPeople(context.catalog, seed=1),
    )
    assert (report.completed, report.rejected, report.lost) == (0, 0, 2)
