"""Dispatch: a ready case is sent in the transaction that made it ready; a worker delivers it."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from yijianshi.domain.audit import AuditRecord
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DepartmentGateway,
    Dispatch,
    FailedDelivery,
    Partition,
)
from yijianshi.services.unit_of_work import UnitOfWork, Write

DEAD_LETTERED = "org.yijianshi.dispatch.dead_lettered"
MAX_ERROR = 500  # characters of a failure's reason kept for an administrator


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How failed deliveries are retried: exponential backoff with jitter, capped, within a budget.

    After the n-th failed attempt the dispatch waits `min(cap_s, base_s * 2**(n-1))` seconds
    scaled by a random factor in [0.5, 1] (so retries of many dispatches spread out, yet never come
    sooner than half the backoff); once `budget` attempts have failed it is dead-lettered.
    """

    base_s: float = 2.0
    cap_s: float = 600.0
    budget: int = 20
    random: Callable[[], float] = field(default=random.random, compare=False)  # in [0, 1)

    def delay(self, attempts: int) -> dt.timedelta:
        """The wait after `attempts` (>= 1) failed attempts."""
        backoff = min(self.cap_s, self.base_s * 2.0 ** min(attempts - 1, 64))
        return dt.timedelta(seconds=backoff * (0.5 + 0.5 * self.random()))

    def after_failure(self, dispatch: Dispatch, error: str, now: dt.datetime) -> FailedDelivery:
        """The failure to record: retried after the backoff, or dead-lettered (no retry time)
        when this attempt used the budget."""
        attempts = dispatch.attempts + 1
        retry_at = now + self.delay(attempts) if attempts < self.budget else None
        return FailedDelivery(dispatch.event_id, attempts, error[:MAX_ERROR], retry_at)


def dead_letter_record(dispatch: Dispatch, failure: FailedDelivery, now: dt.datetime) -> AuditRecord:
    """The audit record of a dispatch dead-lettered by the worker."""
    return AuditRecord(
        DEAD_LETTERED,
        now,
        "system",
        dispatch.case_id,
        {
            "event_id": dispatch.event_id,
            "department": dispatch.department,
            "attempts": failure.attempts,
            "error": failure.error,
        },
    )


DEFAULT_RETRIES = RetryPolicy()


@dataclass
class Deliveries:
    """A round of deliveries made and not yet recorded: `record` writes the outcomes in a unit of
    work (delivered ones marked, failed ones due again after their backoff or dead-lettered and
    so noted in their application's audit trail)."""

    tried: int = 0
    delivered: list[str] = field(default_factory=list)
    failures: list[FailedDelivery] = field(default_factory=list)
    dead: dict[str, list[AuditRecord]] = field(default_factory=dict)
    at: dt.datetime | None = None

    def record(self, uow: UnitOfWork) -> None:
        """Write the outcomes in `uow`, without committing."""
        for write in self.prepare(uow):
            write()

    def prepare(self, uow: UnitOfWork) -> list[Write]:
        """`record`'s writes, prepared (see ports.Write), in the order they must run."""
        if self.at is None:
            return []
        at, failures, dead = self.at, self.failures, self.dead
        # failures are rare and left unprepared; the dead letters' trail entries are made when
        # they run, after the answers' entries of the same transaction (an application may have both)
        return [
            uow.outbox.prepare_mark_delivered(self.delivered, at),
            lambda: uow.outbox.mark_failed(failures, at),
            lambda: uow.audit.record_many(dead),
        ]


@dataclass(frozen=True, slots=True)
class DeliverDue:
    """Command: deliver up to `limit` due dispatches of `partition`, retrying failures by `retries`."""

    limit: int = 200
    retries: RetryPolicy = DEFAULT_RETRIES
    partition: Partition = EVERYTHING


def deliver_due(context: Context, command: DeliverDue, gateway: DepartmentGateway) -> Deliveries:
    """Hand up to `limit` due dispatches of `partition` to `gateway` (the port the departments
    are reached through, not part of the context); return the outcomes, to be recorded
    (`record_deliveries`, or `Deliveries.record` in another use case's transaction) later.

    Delivery happens before it is recorded, so a crash in between delivers again: gateways
    are idempotent by event id, which makes the effect exactly once. A dispatch that failed is
    retried after `retries`' backoff, or dead-lettered once its budget is used.
    """
    retries, now = command.retries, context.clock.now
    with context.unit_of_work() as uow:
        pending = uow.outbox.pending(command.limit, now(), command.partition)
    if not pending:
        return Deliveries()
    outcomes = {o.event_id: o for o in gateway.deliver_many(pending)}
    at = now()
    deliveries = Deliveries(len(pending), at=at)
    dead = defaultdict(list)
    for d in pending:
        error = outcomes[d.event_id].error if d.event_id in outcomes else "the gateway reported no outcome"
        if error is None:
            deliveries.delivered.append(d.event_id)
            continue
        deliveries.failures.append(failure := retries.after_failure(d, error, at))
        if failure.retry_at is None:
            dead[d.application_id].append(dead_letter_record(d, failure, at))
    deliveries.dead.update(dead)
    return deliveries


def deliver_pending(context: Context, command: DeliverDue, gateway: DepartmentGateway) -> int:
    """Deliver as `deliver_due` does and record the outcomes in a transaction of their own;
    return how many were tried."""
    deliveries = deliver_due(context, command, gateway)
    if deliveries.tried:
        record_deliveries(context, RecordDeliveries(deliveries))
    return deliveries.tried


@dataclass(frozen=True, slots=True)
class RecordDeliveries:
    """Command: record the outcomes of a round of `deliveries`."""

    deliveries: Deliveries


def record_deliveries(context: Context, command: RecordDeliveries) -> None:
    """Record a round's deliveries in a transaction of their own."""
    with context.unit_of_work() as uow:
        command.deliveries.record(uow)
        uow.commit()
