"""The audit trail in SQL: entries appended in the transaction of the change they record."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update

from yijianshi.adapters.sql.tables import audit_events, audit_heads
from yijianshi.domain import audit
from yijianshi.domain.errors import DomainError
from yijianshi.services.ports import AuditRecord, UnreadableAuditEntry

_NEW_HEAD = insert(audit_heads).values(application_id=bindparam("id"), count=bindparam("count"),
                                       hash=bindparam("hash"))
_MOVE_HEAD = (update(audit_heads).where(audit_heads.c.application_id == bindparam("id"))
              .values(count=bindparam("count"), hash=bindparam("hash")))


class SqlAuditTrail:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def record(self, application_id: str, records: Sequence[AuditRecord]) -> None:
        """Append `records` to the application's log and move its head, in this transaction."""
        self.record_many({application_id: records})

    def record_many(self, records: Mapping[str, Sequence[AuditRecord]]) -> None:
        """Append to several logs with one read of their heads and one insert of all entries."""
        wanted = [app_id for app_id, some in records.items() if some]
        if not wanted:
            return
        known = {row.application_id: audit.Head(row[1], row[2]) for row in self.connection.execute(
            select(audit_heads.c.application_id, audit_heads.c["count"], audit_heads.c.hash)
            .where(audit_heads.c.application_id.in_(wanted)))}
        rows: list[dict[str, Any]] = []
        moved: list[dict[str, Any]] = []
        new: list[dict[str, Any]] = []
        for app_id in wanted:
            head = known.get(app_id)
            for r in records[app_id]:
                event = audit.append_after(head, source=f"/applications/{app_id}", type=r.type,
                                           time=r.time, actor=r.actor, data=r.data,
                                           subject=r.subject, purpose=r.purpose)
                head = audit.Head(event.sequence + 1, event.hash)
                rows.append({"application_id": app_id, "sequence": event.sequence,
                             "event_id": event.id, "type": event.type, "time": event.time,
                             "document": audit.to_cloudevent_json(event)})
            assert head is not None
            (moved if app_id in known else new).append(
                {"id": app_id, "count": head.count, "hash": head.hash})
        self.connection.execute(insert(audit_events), rows)
        if moved:
            self.connection.execute(_MOVE_HEAD, moved)
        if new:
            self.connection.execute(_NEW_HEAD, new)

    def log(self, application_id: str) -> list[audit.AuditEvent]:
        rows = self.connection.execute(
            select(audit_events.c.event_id, audit_events.c.document)
            .where(audit_events.c.application_id == application_id)
            .order_by(audit_events.c.sequence))
        entries = []
        for index, (event_id, document) in enumerate(rows):
            try:
                entries.append(audit.from_cloudevent_json(document))
            except DomainError as error:
                raise UnreadableAuditEntry(index, event_id, str(error)) from None
        return entries

    def head(self, application_id: str) -> audit.Head | None:
        row = self.connection.execute(select(audit_heads).where(
            audit_heads.c.application_id == application_id)).first()
        return audit.Head(row._mapping["count"], row.hash) if row else None

    def application_ids(self) -> list[str]:
        ids = self.connection.execute(select(audit_heads.c.application_id).union(
            select(audit_events.c.application_id))).scalars()
        return sorted(ids)
