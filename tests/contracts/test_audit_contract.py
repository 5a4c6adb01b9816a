"""AuditTrail: an append-only hash chain per application with its head kept apart, moved by
compare-and-swap, on every backend."""

from __future__ import annotations

import datetime as dt

import pytest

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW
from yijianshi.domain import audit
from yijianshi.domain.audit import AuditRecord
from yijianshi.services.unit_of_work import ConcurrentUpdate

SUBMITTED = AuditRecord(
    "org.yijianshi.application.submitted",
    NOW,
    "parent-1",
    data={"bundle": "birth", "fields": ["mother.name"], "assisted": False, "n": 3, "none": None},
)


def read(number: int, purpose: str = "办理出生一件事") -> AuditRecord:
    return AuditRecord(
        "org.yijianshi.personal_data.read",
        NOW + dt.timedelta(seconds=number),
        "department:d1",
        subject=f"case-{number}",
        data={"result": "shown"},
        purpose=purpose,
    )


def test_recorded_entries_read_back_as_a_chain_that_verifies_against_its_head(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    with unit_of_work() as uow:
        uow.audit.record("app-1", [SUBMITTED, read(1)])
        uow.commit()
    with unit_of_work() as uow:
        uow.audit.record("app-1", [read(2)])
        uow.commit()
    with unit_of_work() as uow:
        log = uow.audit.log("app-1")
        head = uow.audit.head("app-1")
    assert [e.sequence for e in log] == [0, 1, 2]
    assert head == audit.head_of(log)
    assert audit.verify(log, head, source="/applications/app-1").ok
    first, second = log[0], log[1]
    assert (first.type, first.actor, first.subject, first.time) == (SUBMITTED.type, "parent-1", None, NOW)
    assert dict(first.data) == dict(SUBMITTED.data)
    assert (second.subject, second.purpose) == ("case-1", "办理出生一件事")
    assert len({e.id for e in log}) == 3


def test_a_changed_entry_breaks_verification(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.audit.record("app-1", [SUBMITTED, read(1)])
        uow.commit()
        log, head = uow.audit.log("app-1"), uow.audit.head("app-1")
    forged = [log[0], audit.AuditEvent(**{**_attributes(log[1]), "actor": "someone-else"})]
    result = audit.verify(forged, head)
    assert not result.ok
    assert result.index == 1


def _attributes(event: audit.AuditEvent) -> dict[str, object]:
    return {name: getattr(event, name) for name in event.__slots__}  # type: ignore[attr-defined]


def test_an_application_without_entries_has_no_head_and_an_empty_log(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.audit.record_many({"app-1": []})
        uow.commit()
    with unit_of_work() as uow:
        assert uow.audit.head("app-1") is None
        assert uow.audit.log("app-1") == []
        assert uow.audit.application_ids() == []


def test_several_logs_are_written_at_once_each_its_own_chain(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.audit.record_many({"app-2": [SUBMITTED], "app-1": [SUBMITTED, read(1)]})
        uow.commit()
    with unit_of_work() as uow:
        assert uow.audit.application_ids() == ["app-1", "app-2"]
        assert uow.audit.head("app-2") == audit.head_of(uow.audit.log("app-2"))
        assert [e.source for e in uow.audit.log("app-2")] == ["/applications/app-2"]
        assert uow.audit.head("app-1") is not None
        assert uow.audit.head("app-1").count == 2  # type: ignore[union-attr]


def test_a_log_appended_to_since_its_head_was_read_raises_concurrent_update(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    with unit_of_work() as uow:
        uow.audit.record("app-1", [SUBMITTED])
        uow.commit()
    with unit_of_work() as late:
        write = late.audit.prepare_many({"app-1": [read(1)]})
        with unit_of_work() as early:
            early.audit.record("app-1", [read(2)])
            early.commit()
        with pytest.raises(ConcurrentUpdate):
            write()
    with unit_of_work() as uow:
        log = uow.audit.log("app-1")
        assert [e.subject for e in log] == [None, "case-2"]
        assert audit.verify(log, uow.audit.head("app-1")).ok


def test_a_log_said_to_be_new_that_has_entries_raises_concurrent_update(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    with unit_of_work() as uow:
        uow.audit.record("app-1", [SUBMITTED])
        uow.commit()
    with unit_of_work() as uow:
        write = uow.audit.prepare_many({"app-1": [read(1)]}, new=True)
        with pytest.raises(ConcurrentUpdate):
            write()


def test_a_new_log_starts_its_chain_at_genesis(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.audit.prepare_many({"app-1": [SUBMITTED, read(1)]}, new=True)()
        uow.commit()
    with unit_of_work() as uow:
        log = uow.audit.log("app-1")
    assert log[0].prevhash == audit.GENESIS
    assert audit.verify(log).ok


def test_entries_are_kept_only_when_committed(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.audit.record("app-1", [SUBMITTED])
        assert len(uow.audit.log("app-1")) == 1  # seen in its own transaction
    with unit_of_work() as uow:
        assert uow.audit.log("app-1") == []
        assert uow.audit.head("app-1") is None
