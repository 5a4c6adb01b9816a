"""ApplicationRepository: what a use case relies on, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW, application, new_id, stored
from yijianshi.domain.cases import CaseState, Colour, Pause
from yijianshi.domain.text import Text
from yijianshi.services.applications.ports import DuplicateSubmission
from yijianshi.services.unit_of_work import ConcurrentUpdate


def test_an_added_application_reads_back_with_its_cases_in_order(unit_of_work: UnitOfWorkFactory) -> None:
    app = application(states=(CaseState.ACCEPTED, CaseState.WAITING, CaseState.WAITING))
    first = next(iter(app.cases.values()))
    first.pauses = [Pause(dt.date(2026, 3, 3), dt.date(2026, 3, 4)), Pause(dt.date(2026, 3, 5))]
    first.outputs = {"birth.certificate_number": "N1", "count": 2}
    first.reason = Text("请补充", "supply more")
    first.warned = Colour.YELLOW
    first.deferrable = True
    stored(unit_of_work(), app)
    with unit_of_work() as uow:
        found = uow.applications.get(app.id)
    assert found == app


def test_an_unknown_application_is_none(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        assert uow.applications.get("nobody") is None
        assert uow.applications.get_many_by_cases(["no-case"]) == {}


def test_the_idempotency_key_finds_the_application_of_its_applicant_only(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = stored(unit_of_work(), application("parent-1"), key="k-1")
    with unit_of_work() as uow:
        assert uow.applications.find_by_key("parent-1", "k-1") == app.id
        assert uow.applications.find_by_key("parent-2", "k-1") is None
        assert uow.applications.find_by_key("parent-1", "k-2") is None


def test_a_known_idempotency_key_is_a_duplicate_submission(unit_of_work: UnitOfWorkFactory) -> None:
    first = stored(unit_of_work(), application("parent-1"), key="k-1")
    with unit_of_work() as uow, pytest.raises(DuplicateSubmission):
        uow.applications.add(application("parent-1"), "k-1", NOW)
    stored(unit_of_work(), application("parent-2"), key="k-1")  # another applicant's key is theirs
    with unit_of_work() as uow:
        assert uow.applications.find_by_key("parent-1", "k-1") == first.id
        assert len(uow.reads.all_rows()) == 2


def test_a_duplicate_in_a_batch_stores_none_of_it(unit_of_work: UnitOfWorkFactory) -> None:
    stored(unit_of_work(), application("parent-1"), key="k-1")
    fresh, again = application("parent-2"), application("parent-1")
    with unit_of_work() as uow:
        write = uow.applications.prepare_add([(fresh, "k-9", NOW), (again, "k-1", NOW)])
        with pytest.raises(DuplicateSubmission):
            write()
    with unit_of_work() as uow:
        assert uow.applications.get(fresh.id) is None


def test_a_prepared_add_writes_only_when_called(unit_of_work: UnitOfWorkFactory) -> None:
    app = application()
    with unit_of_work() as uow:
        write = uow.applications.prepare_add([(app, "k", NOW)])
        assert uow.applications.get(app.id) is None
        write()
        assert uow.applications.get(app.id) == app  # the transaction sees its own writes
        uow.commit()
    with unit_of_work() as uow:
        assert uow.applications.get(app.id) == app


def test_nothing_is_kept_without_a_commit(unit_of_work: UnitOfWorkFactory) -> None:
    app = application()
    with unit_of_work() as uow:
        uow.applications.add(app, "k", NOW)
    with unit_of_work() as uow:
        assert uow.applications.get(app.id) is None
        assert uow.applications.find_by_key(app.applicant, "k") is None


def test_an_uncommitted_application_is_invisible_to_another_unit_of_work(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = application()
    with unit_of_work() as writer:
        writer.applications.add(app, "k", NOW)
        with unit_of_work() as reader:
            assert reader.applications.get(app.id) is None
        writer.commit()
    with unit_of_work() as reader:
        assert reader.applications.get(app.id) == app


def test_the_owners_of_cases_are_found_by_case_one_object_per_application(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    one, two = stored(unit_of_work(), application()), stored(unit_of_work(), application())
    a, b = list(one.cases)
    (c, _) = list(two.cases)
    with unit_of_work() as uow:
        found = uow.applications.get_many_by_cases([a, b, c, "no-case"])
    assert set(found) == {a, b, c}
    assert found[a] is found[b]
    assert found[a] == one
    assert found[c] == two


def test_running_cases_are_the_accepted_and_those_awaiting_a_supplement(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = stored(
        unit_of_work(),
        application(states=(CaseState.ACCEPTED, CaseState.SENT, CaseState.SUPPLEMENT_REQUESTED)),
    )
    other = stored(unit_of_work(), application(department="d2", states=(CaseState.ACCEPTED,)))
    accepted, _, waiting = list(app.cases)
    with unit_of_work() as uow:
        everywhere = uow.applications.running_cases()
        of_d1 = uow.applications.running_cases("d1")
    assert sorted((a, c.id) for a, c in everywhere) == sorted(
        [(app.id, accepted), (app.id, waiting), (other.id, next(iter(other.cases)))]
    )
    assert sorted(c.id for _, c in of_d1) == sorted([accepted, waiting])
    assert all(c == app.cases[c.id] for _, c in of_d1)


def test_a_saved_application_keeps_its_changes_and_moves_its_version_on(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = stored(unit_of_work(), application())
    first, _ = list(app.cases)
    with unit_of_work() as uow:
        loaded = uow.applications.get(app.id)
        assert loaded is not None
        loaded.case(first).accept(NOW)
        loaded.complete_case(first, {"birth.certificate_number": "N1"}, NOW)
        uow.applications.save(loaded)
        uow.commit()
    with unit_of_work() as uow:
        again = uow.applications.get(app.id)
        row = uow.reads.row(app.id)
    assert again is not None
    assert row is not None
    assert [c.state for c in again.cases.values()] == [CaseState.COMPLETED, CaseState.READY]
    assert again.data["birth.certificate_number"] == "N1"
    assert all(not c.events for c in again.cases.values())  # loaded with none
    assert row.version == 2
    assert row.status == again.status.value


def test_a_save_after_another_transaction_saved_raises_concurrent_update(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = stored(unit_of_work(), application())
    first, _ = list(app.cases)
    with unit_of_work() as late:
        stale = late.applications.get(app.id)
        with unit_of_work() as early:
            fresh = early.applications.get(app.id)
            assert fresh is not None
            fresh.case(first).accept(NOW)
            early.applications.save(fresh)
            early.commit()
        assert stale is not None
        stale.case(first).accept(NOW + dt.timedelta(hours=1))
        with pytest.raises(ConcurrentUpdate):
            late.applications.save_many([stale])
    with unit_of_work() as uow:
        found = uow.applications.get(app.id)
    assert found is not None
    assert found.case(first).accepted_on == NOW.date()


def test_a_prepared_save_writes_the_application_as_it_was_when_prepared(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = stored(unit_of_work(), application())
    first, _ = list(app.cases)
    with unit_of_work() as uow:
        loaded = uow.applications.get(app.id)
        assert loaded is not None
        loaded.case(first).accept(NOW)
        write = uow.applications.prepare_save([loaded])
        loaded.case(first).complete({}, NOW)  # too late for this write
        write()
        uow.commit()
    with unit_of_work() as uow:
        found = uow.applications.get(app.id)
    assert found is not None
    assert found.case(first).state is CaseState.ACCEPTED


def test_one_unit_of_work_may_save_an_application_twice(unit_of_work: UnitOfWorkFactory) -> None:
    app = stored(unit_of_work(), application())
    first, _ = list(app.cases)
    with unit_of_work() as uow:
        loaded = uow.applications.get(app.id)
        assert loaded is not None
        loaded.case(first).accept(NOW)
        uow.applications.save(loaded)
        loaded.case(first).complete({}, NOW)
        uow.applications.save(loaded)
        uow.commit()
    with unit_of_work() as uow:
        row = uow.reads.row(app.id)
    assert row is not None
    assert row.version == 3


def test_a_new_application_can_be_saved_in_the_transaction_that_added_it(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    app = application()
    first, _ = list(app.cases)
    with unit_of_work() as uow:
        uow.applications.add(app, new_id("key"), NOW)
        app.case(first).accept(NOW)
        uow.applications.save(app)
        uow.commit()
    with unit_of_work() as uow:
        found = uow.applications.get(app.id)
    assert found is not None
    assert found.case(first).state is CaseState.ACCEPTED
