"""Dispatch: a ready case is sent in the transaction that made it ready; a worker delivers it."""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from yijianshi.domain.cases import Application, Case
from yijianshi.domain.catalog import Catalog
from yijianshi.services.delivery_ports import (
    EVERYTHING,
    DepartmentGateway,
    Dispatch,
    FailedDelivery,
    Partition,
)
from yijianshi.services.ports import AuditRecord, UnitOfWork

DEAD_LETTERED = "org.yijianshi.dispatch.dead_lettered"
MAX_ERROR = 500  # characters of a failure's reason kept for an administrator


def dispatch(catalog: Catalog, application: Application, ready: Iterable[Case], now: dt.datetime,
             ids: Callable[[], str]) -> list[Dispatch]:
    """Mark `ready` cases sent and return their dispatches, each with only its item's fields."""
    dispatches = []
    for case in ready:
        case.dispatch(now)
        keys = {f.key for f in catalog.items[case.item].fields}
        data = {k: v for k, v in application.data.items() if k in keys}
        dispatches.append(Dispatch(ids(), application.id, case.id, case.item, case.department,
                                   data, now))
    return dispatches


def audit_records(application: Application, actor: str) -> list[AuditRecord]:
    """The audit records of an application's new case events."""
    return [AuditRecord(f"org.yijianshi.{e.type}", e.at, actor, e.case, dict(e.data))
            for e in application.pending_events()]


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
    return AuditRecord(DEAD_LETTERED, now, "system", dispatch.case_id, {
        "event_id": dispatch.event_id, "department": dispatch.department,
        "attempts": failure.attempts, "error": failure.error})


DEFAULT_RETRIES = RetryPolicy()


def deliver_pending(unit_of_work: Callable[[], UnitOfWork], gateway: DepartmentGateway,
                    now: Callable[[], dt.datetime], limit: int = 200,
                    retries: RetryPolicy = DEFAULT_RETRIES, partition: Partition = EVERYTHING) -> int:
    """Try to deliver up to `limit` due dispatches of `partition`; return how many were tried.

    Delivery happens before it is recorded, so a crash in between delivers again: gateways
    are idempotent by event id, which makes the effect exactly once. A dispatch that failed is
    retried after `retries`' backoff, or dead-lettered (and so noted in its application's audit
    trail) once its budget is used.
    """
    with unit_of_work() as uow:
        pending = uow.outbox.pending(limit, now(), partition)
    if not pending:
        return 0
    outcomes = {o.event_id: o for o in gateway.deliver_many(pending)}
    at = now()
    delivered, failures, dead = [], [], defaultdict(list)
    for d in pending:
        error = outcomes[d.event_id].error if d.event_id in outcomes else "the gateway reported no outcome"
        if error is None:
            delivered.append(d.event_id)
            continue
        failures.append(failure := retries.after_failure(d, error, at))
        if failure.retry_at is None:
            dead[d.application_id].append(dead_letter_record(d, failure, at))
    with unit_of_work() as uow:
        uow.outbox.mark_delivered(delivered, at)
        uow.outbox.mark_failed(failures, at)
        uow.audit.record_many(dead)
        uow.commit()
    return len(pending)
