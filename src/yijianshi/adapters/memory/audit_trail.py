"""The audit trail in memory: per application, the entries as a store keeps them (the CloudEvents
JSON text `domain.audit.seal_after` makes, so they hash exactly as the SQL store's do) and the
head kept apart, moved by compare-and-swap when a transaction writes."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping, Sequence

from yijianshi.adapters.memory.database import Transaction
from yijianshi.domain import audit
from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.errors import DomainError
from yijianshi.services.audit.ports import UnreadableAuditEntry
from yijianshi.services.unit_of_work import ConcurrentUpdate, Write


def _nothing() -> None:
    pass


class MemoryAuditTrail:
    """The audit trail of one unit of work (ports.AuditTrail); `ids` names each new entry."""

    def __init__(self, transaction: Transaction, ids: Callable[[], str]) -> None:
        self.transaction = transaction
        self.ids = ids

    def record(self, application_id: str, records: Sequence[AuditRecord]) -> None:
        self.record_many({application_id: records})

    def record_many(self, records: Mapping[str, Sequence[AuditRecord]]) -> None:
        self.prepare_many(records)()

    def prepare_many(self, records: Mapping[str, Sequence[AuditRecord]], new: bool = False) -> Write:
        """The heads read and the entries sealed now; the write raises ConcurrentUpdate when a
        head moved since (or, with `new`, when a log that should be empty has one)."""
        wanted = [app_id for app_id, some in records.items() if some]
        if not wanted:
            return _nothing
        heads = self.transaction.read().audit_heads
        known = {app_id: None if new else heads.get(app_id) for app_id in wanted}
        sealed = {app_id: self._seal(app_id, known[app_id], records[app_id]) for app_id in wanted}

        def write() -> None:
            tables = self.transaction.write()
            if any(tables.audit_heads.get(app_id) != known[app_id] for app_id in wanted):
                raise ConcurrentUpdate(", ".join(wanted))
            for app_id, (head, entries) in sealed.items():
                tables.audit_logs[app_id] = tables.audit_logs.get(app_id, ()) + entries
                tables.audit_heads[app_id] = head

        return write

    def _seal(
        self, application_id: str, head: audit.Head | None, records: Sequence[AuditRecord]
    ) -> tuple[audit.Head, tuple[str, ...]]:
        entries = []
        for r in records:
            head, text = audit.seal_after(
                head,
                source=f"/applications/{application_id}",
                type=r.type,
                time=r.time,
                actor=r.actor,
                data=r.data,
                subject=r.subject,
                purpose=r.purpose,
                id=self.ids(),
            )
            entries.append(text)
        assert head is not None
        return head, tuple(entries)

    def log(self, application_id: str) -> list[audit.AuditEvent]:
        return [
            _read(index, text)
            for index, text in enumerate(self.transaction.read().audit_logs.get(application_id, ()))
        ]

    def head(self, application_id: str) -> audit.Head | None:
        return self.transaction.read().audit_heads.get(application_id)

    def application_ids(self) -> list[str]:
        tables = self.transaction.read()
        return sorted(set(tables.audit_heads) | set(tables.audit_logs))


def _read(index: int, text: str) -> audit.AuditEvent:
    try:
        document = json.loads(text)
    except ValueError as error:
        raise UnreadableAuditEntry(index, None, f"not JSON: {error}") from None
    if not isinstance(document, dict):
        raise UnreadableAuditEntry(index, None, "an entry must be a JSON object")
    try:
        return audit.from_cloudevent_json(document)
    except DomainError as error:
        event_id = document.get("id")
        raise UnreadableAuditEntry(
            index, event_id if isinstance(event_id, str) else None, str(error)
        ) from None
