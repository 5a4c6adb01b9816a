"""What the audit trail needs from storage: per application, an append-only hash-chained log of
records (`AuditRecord`, sealed into `domain.audit.AuditEvent`s by the store) and its head, kept
apart."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol

from yijianshi.domain.audit import AuditEvent, AuditRecord, Head
from yijianshi.domain.cases import Application
from yijianshi.services.errors import UnreadableAuditEntry as UnreadableAuditEntry  # AuditTrail.log raises it
from yijianshi.services.unit_of_work import Write


class AuditTrail(Protocol):
    """Per application, the append-only hash-chained log and its head, kept apart."""

    def record(self, application_id: str, records: Sequence[AuditRecord]) -> None: ...

    def record_many(self, records: Mapping[str, Sequence[AuditRecord]]) -> None:
        """Append to several applications' logs at once."""
        ...

    def prepare_many(self, records: Mapping[str, Sequence[AuditRecord]], new: bool = False) -> Write:
        """`record_many`, prepared (see Write): the heads are read and the entries sealed now.
        With `new`, the logs are known to be empty (applications made in this transaction): no
        head is read, and a log that has one after all makes the write raise ConcurrentUpdate."""
        ...

    def log(self, application_id: str) -> list[AuditEvent]:
        """The entries, oldest first; raise UnreadableAuditEntry for one that is malformed."""
        ...

    def head(self, application_id: str) -> Head | None: ...

    def application_ids(self) -> list[str]: ...


def audit_records(application: Application, actor: str) -> list[AuditRecord]:
    """The audit records of an application's new case events."""
    return [
        AuditRecord(f"org.yijianshi.{e.type}", e.at, actor, e.case, e.data)
        for e in application.pending_events()
    ]


def trail(applicant: str) -> str:
    """The audit log of reads made for an applicant before an application exists."""
    return f"applicant:{applicant}"


ISSUED = "org.yijianshi.certificate.issued"


def masked(code: str) -> str:
    """A holder code as the audit trail shows it: the first 6 and last 4 characters."""
    return code[:6] + "*" * max(len(code) - 10, 0) + code[-4:]
