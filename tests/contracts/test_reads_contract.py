"""ApplicationReads: the rows lists show and the worklists' cases, on every backend."""

from __future__ import annotations

import datetime as dt

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW, application, stored
from yijianshi.domain.cases import CaseState

HOUR = dt.timedelta(hours=1)


def test_a_row_shows_the_application_without_its_data(unit_of_work: UnitOfWorkFactory) -> None:
    app = stored(unit_of_work(), application("parent-1"))
    with unit_of_work() as uow:
        row = uow.reads.row(app.id)
        assert uow.reads.row("nobody") is None
    assert row is not None
    assert (row.id, row.bundle, row.applicant, row.status, row.version) == (
        app.id,
        "birth",
        "parent-1",
        "in_progress",
        1,
    )
    assert row.submitted_at == NOW
    assert row.submitted_at.utcoffset() == dt.timedelta(0)  # given back in UTC


def test_an_applicants_applications_come_newest_first(unit_of_work: UnitOfWorkFactory) -> None:
    old = stored(unit_of_work(), application("parent-1"), at=NOW)
    new = stored(unit_of_work(), application("parent-1"), at=NOW + HOUR)
    stored(unit_of_work(), application("parent-2"), at=NOW + 2 * HOUR)
    with unit_of_work() as uow:
        assert [r.id for r in uow.reads.applications_of("parent-1")] == [new.id, old.id]
        assert uow.reads.applications_of("nobody") == []


def test_all_rows_come_in_submission_order(unit_of_work: UnitOfWorkFactory) -> None:
    later = stored(unit_of_work(), application("parent-1"), at=NOW + HOUR)
    earlier = stored(unit_of_work(), application("parent-2"), at=NOW)
    with unit_of_work() as uow:
        assert [r.id for r in uow.reads.all_rows()] == [earlier.id, later.id]


def test_a_department_sees_only_its_cases_that_reached_it(unit_of_work: UnitOfWorkFactory) -> None:
    later = stored(
        unit_of_work(),
        application(states=(CaseState.ACCEPTED, CaseState.WAITING, CaseState.READY)),
        at=NOW + HOUR,
    )
    earlier = stored(unit_of_work(), application(states=(CaseState.SENT, CaseState.WAITING)), at=NOW)
    stored(unit_of_work(), application(department="d2", states=(CaseState.SENT,)))
    withdrawn = application(states=(CaseState.WITHDRAWN, CaseState.WITHDRAWN))
    next(iter(withdrawn.cases.values())).accepted_on = NOW.date()  # it had reached the department
    stored(unit_of_work(), withdrawn, at=NOW + 2 * HOUR)
    with unit_of_work() as uow:
        found = uow.reads.cases_of_department("d1")
    assert [(row.id, case.id) for row, case in found] == [
        (earlier.id, next(iter(earlier.cases))),
        (later.id, next(iter(later.cases))),
        (withdrawn.id, next(iter(withdrawn.cases))),
    ]
    row, case = found[1]
    assert case == later.cases[case.id]
    assert row.version == 1


def test_all_cases_come_by_submission_then_position(unit_of_work: UnitOfWorkFactory) -> None:
    later = stored(unit_of_work(), application(states=(CaseState.SENT, CaseState.WAITING)), at=NOW + HOUR)
    earlier = stored(unit_of_work(), application(states=(CaseState.SENT, CaseState.WAITING)), at=NOW)
    with unit_of_work() as uow:
        found = uow.reads.all_cases()
    assert [(row.id, case.id) for row, case in found] == [
        *((earlier.id, c) for c in earlier.cases),
        *((later.id, c) for c in later.cases),
    ]


def test_a_rows_version_moves_on_with_every_save(unit_of_work: UnitOfWorkFactory) -> None:
    app = stored(unit_of_work(), application())
    first = next(iter(app.cases))
    with unit_of_work() as uow:
        loaded = uow.applications.get(app.id)
        assert loaded is not None
        loaded.case(first).accept(NOW)
        uow.applications.save(loaded)
        uow.commit()
    with unit_of_work() as uow:
        row = uow.reads.row(app.id)
    assert row is not None
    assert row.version == 2
