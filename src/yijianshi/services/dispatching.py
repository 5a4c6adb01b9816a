"""Dispatch: a ready case is sent in the transaction that made it ready; a worker delivers it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from yijianshi.domain.cases import Application, Case
from yijianshi.domain.catalog import Catalog
from yijianshi.services.ports import AuditRecord, DepartmentGateway, Dispatch, UnitOfWork


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


def deliver_pending(unit_of_work: Callable[[], UnitOfWork], gateway: DepartmentGateway,
                    now: Callable[[], dt.datetime], limit: int = 200) -> int:
    """Deliver up to `limit` undelivered dispatches; return how many were delivered.

    Delivery happens before it is recorded, so a crash in between delivers again: gateways
    are idempotent by event id, which makes the effect exactly once.
    """
    with unit_of_work() as uow:
        pending = uow.outbox.pending(limit)
    gateway.deliver_many(pending)
    if pending:
        with unit_of_work() as uow:
            uow.outbox.mark_delivered([m.event_id for m in pending], now())
            uow.commit()
    return len(pending)
