"""Use case: verify the audit trail of one application or of all."""

from __future__ import annotations

from dataclasses import dataclass

from yijianshi.domain import audit
from yijianshi.services.audit.ports import UnreadableAuditEntry
from yijianshi.services.context import Context
from yijianshi.services.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LogCheck:
    application_id: str
    entries: int
    result: audit.VerifyResult


@dataclass(frozen=True, slots=True)
class VerifyAuditTrails:
    """Command: verify the audit trail of application `application_id`, or every trail (None)."""

    application_id: str | None = None


def verify_audit(context: Context, command: VerifyAuditTrails) -> list[LogCheck]:
    """Check each log against its chain and its separately kept head; one LogCheck per log."""
    with context.unit_of_work() as uow:
        ids = [command.application_id] if command.application_id else uow.audit.application_ids()
        checks = []
        for app_id in ids:
            checks.append(_check(uow, app_id))
    return checks


def _check(uow: UnitOfWork, application_id: str) -> LogCheck:
    head = uow.audit.head(application_id) or audit.Head(0, audit.GENESIS)
    try:
        entries = uow.audit.log(application_id)
    except UnreadableAuditEntry as error:
        return LogCheck(
            application_id,
            head.count,
            audit.VerifyResult(error.index, error.event_id, (audit.Break.CHANGED,), str(error)),
        )
    result = audit.verify(entries, head, source=f"/applications/{application_id}")
    return LogCheck(application_id, len(entries), result)
