"""Outbox: due order, partitions, retries, dead letters and replay, on every backend."""

from __future__ import annotations

import datetime as dt

from tests.contracts.conftest import UnitOfWorkFactory
from tests.contracts.samples import NOW, new_id
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DeadLetter,
    Dispatch,
    FailedDelivery,
    Partition,
    shard_of,
)

MINUTE = dt.timedelta(minutes=1)


def dispatch(at: dt.datetime = NOW, department: str = "d1", application_id: str | None = None) -> Dispatch:
    return Dispatch(
        new_id("event"),
        application_id or new_id("app"),
        new_id("case"),
        "item-1",
        department,
        {"mother.name": "李秀英", "count": 2, "ok": True, "nested": {"a": [1, None]}},
        at,
    )


def added(unit_of_work: UnitOfWorkFactory, *dispatches: Dispatch) -> list[Dispatch]:
    with unit_of_work() as uow:
        uow.outbox.add(dispatches)
        uow.commit()
    return list(dispatches)


def pending(unit_of_work: UnitOfWorkFactory, now: dt.datetime, limit: int = 100) -> list[str]:
    with unit_of_work() as uow:
        return [d.event_id for d in uow.outbox.pending(limit, now)]


def test_a_pending_dispatch_reads_back_as_it_was_added(unit_of_work: UnitOfWorkFactory) -> None:
    (sent,) = added(unit_of_work, dispatch())
    with unit_of_work() as uow:
        (found,) = uow.outbox.pending(10, NOW)
    assert (found.event_id, found.application_id, found.case_id, found.item, found.department) == (
        sent.event_id,
        sent.application_id,
        sent.case_id,
        sent.item,
        sent.department,
    )
    assert dict(found.data) == sent.data
    assert found.created_at == NOW
    assert found.attempts == 0


def test_dispatches_are_due_from_their_creation_earliest_first(unit_of_work: UnitOfWorkFactory) -> None:
    late, early, future = added(
        unit_of_work, dispatch(NOW + MINUTE), dispatch(NOW), dispatch(NOW + 10 * MINUTE)
    )
    assert pending(unit_of_work, NOW + MINUTE) == [early.event_id, late.event_id]
    assert pending(unit_of_work, NOW + MINUTE, limit=1) == [early.event_id]
    assert pending(unit_of_work, NOW - MINUTE) == []
    assert future.event_id in pending(unit_of_work, NOW + 10 * MINUTE)


def test_dispatches_added_together_are_due_in_the_order_added(unit_of_work: UnitOfWorkFactory) -> None:
    batch = added(unit_of_work, *(dispatch() for _ in range(5)))
    assert pending(unit_of_work, NOW) == [d.event_id for d in batch]


def test_partitions_share_the_dispatches_out_by_application(unit_of_work: UnitOfWorkFactory) -> None:
    batch = added(unit_of_work, *(dispatch() for _ in range(24)))
    shares = []
    with unit_of_work() as uow:
        for index in range(3):
            share = uow.outbox.pending(100, NOW, Partition(index, 3))
            assert all(shard_of(d.application_id) % 3 == index for d in share)
            shares.append({d.event_id for d in share})
        whole = {d.event_id for d in uow.outbox.pending(100, NOW, EVERYTHING)}
    assert set.union(*shares) == whole == {d.event_id for d in batch}
    assert sum(map(len, shares)) == len(batch)


def test_a_delivered_dispatch_is_no_longer_pending(unit_of_work: UnitOfWorkFactory) -> None:
    one, two = added(unit_of_work, dispatch(), dispatch())
    with unit_of_work() as uow:
        write = uow.outbox.prepare_mark_delivered([one.event_id], NOW)
        assert len(uow.outbox.pending(10, NOW)) == 2  # not before it is run
        write()
        uow.commit()
    assert pending(unit_of_work, NOW + MINUTE) == [two.event_id]


def test_a_failed_dispatch_is_retried_at_its_retry_time_with_its_attempts(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    (sent,) = added(unit_of_work, dispatch())
    with unit_of_work() as uow:
        uow.outbox.mark_failed([FailedDelivery(sent.event_id, 1, "timeout", NOW + 5 * MINUTE)], NOW)
        uow.commit()
    assert pending(unit_of_work, NOW + 4 * MINUTE) == []
    with unit_of_work() as uow:
        (again,) = uow.outbox.pending(10, NOW + 5 * MINUTE)
        assert uow.outbox.dead_letters() == []
    assert again.attempts == 1


def test_a_retry_comes_after_dispatches_due_earlier(unit_of_work: UnitOfWorkFactory) -> None:
    first, second = added(unit_of_work, dispatch(NOW), dispatch(NOW + MINUTE))
    with unit_of_work() as uow:
        uow.outbox.mark_failed([FailedDelivery(first.event_id, 1, "refused", NOW + 2 * MINUTE)], NOW)
        uow.commit()
    assert pending(unit_of_work, NOW + 3 * MINUTE) == [second.event_id, first.event_id]


def test_a_failure_without_retry_time_is_dead_lettered_and_never_pending(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    sent, other = added(unit_of_work, dispatch(department="d1"), dispatch(department="d2"))
    with unit_of_work() as uow:
        uow.outbox.mark_failed(
            [
                FailedDelivery(other.event_id, 5, "gone", None),
                FailedDelivery(sent.event_id, 5, "HTTP 500", None),
            ],
            NOW,
        )
        uow.commit()
    later = NOW + dt.timedelta(days=30)
    assert pending(unit_of_work, later) == []
    with unit_of_work() as uow:
        letters = uow.outbox.dead_letters()
        assert uow.outbox.dead_letters("d1") == [letters[0]]  # dead at once: in the order added
        assert uow.outbox.dead_letters(event_id=other.event_id) == [letters[1]]
        assert uow.outbox.dead_letters("d3") == []
    assert letters[0] == DeadLetter(
        sent.event_id, sent.application_id, sent.case_id, "item-1", "d1", 5, "HTTP 500", NOW, NOW
    )


def test_dead_letters_come_oldest_first(unit_of_work: UnitOfWorkFactory) -> None:
    one, two = added(unit_of_work, dispatch(), dispatch())
    with unit_of_work() as uow:
        uow.outbox.mark_failed([FailedDelivery(two.event_id, 3, "x", None)], NOW)
        uow.outbox.mark_failed([FailedDelivery(one.event_id, 3, "y", None)], NOW + MINUTE)
        uow.commit()
    with unit_of_work() as uow:
        assert [d.event_id for d in uow.outbox.dead_letters()] == [two.event_id, one.event_id]


def test_a_replayed_dead_letter_is_pending_again_keeping_its_attempts(
    unit_of_work: UnitOfWorkFactory,
) -> None:
    dead, alive = added(unit_of_work, dispatch(), dispatch())
    with unit_of_work() as uow:
        uow.outbox.mark_failed([FailedDelivery(dead.event_id, 5, "gone", None)], NOW)
        uow.outbox.mark_failed([FailedDelivery(alive.event_id, 1, "slow", NOW + 60 * MINUTE)], NOW)
        uow.commit()
    with unit_of_work() as uow:
        uow.outbox.replay([dead.event_id, alive.event_id], NOW + MINUTE)  # only dead letters move
        uow.commit()
    with unit_of_work() as uow:
        assert uow.outbox.dead_letters() == []
        assert uow.outbox.pending(10, NOW) == []
        (found,) = uow.outbox.pending(10, NOW + MINUTE)
    assert (found.event_id, found.attempts) == (dead.event_id, 5)


def test_dispatches_are_kept_only_when_committed(unit_of_work: UnitOfWorkFactory) -> None:
    with unit_of_work() as uow:
        uow.outbox.prepare_add([dispatch()])()
        with unit_of_work() as other:
            assert other.outbox.pending(10, NOW) == []
    assert pending(unit_of_work, NOW) == []
