"""The audit trail in SQL: entries appended in the transaction of the change they record.

The events one transaction appends to one application's log are stored as one row of
`audit_batches`, a JSON array of their CloudEvents; each event is hashed and chained on its
own (domain/audit.py), so reading a log back and verifying it works event by event.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, select, update
from sqlalchemy.exc import IntegrityError

from yijianshi.adapters.sql.driver import DriverStatement, insert_into
from yijianshi.adapters.sql.tables import audit_batches, audit_heads
from yijianshi.domain import audit
from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.errors import DomainError
from yijianshi.services.audit.ports import UnreadableAuditEntry
from yijianshi.services.unit_of_work import ConcurrentUpdate, Write

_INSERT_BATCHES = DriverStatement(insert_into(audit_batches, "application_id", "first_sequence", "document"))
_NEW_HEAD = DriverStatement(insert_into(audit_heads, "application_id", "count", "hash"))
_MOVE_HEAD = DriverStatement(
    update(audit_heads)
    .where(audit_heads.c.application_id == bindparam("id"), audit_heads.c["count"] == bindparam("was"))
    .values(count=bindparam("count"), hash=bindparam("hash"))
)


def _nothing() -> None:
    pass


class SqlAuditTrail:
    """The audit trail of one unit of work; `ids` names the entries it seals."""

    def __init__(self, connection: Connection, ids: Callable[[], str]) -> None:
        self.connection = connection
        self.ids = ids

    def record(self, application_id: str, records: Sequence[AuditRecord]) -> None:
        """Append `records` to the application's log and move its head, in this transaction."""
        self.record_many({application_id: records})

    def record_many(self, records: Mapping[str, Sequence[AuditRecord]]) -> None:
        """Append to several logs with one read of their heads, one insert (a row per log) and
        one statement per kind of head move. The entries are made before anything is written.

        Raises ConcurrentUpdate when another transaction appended to one of the logs since its
        head was read (the transaction must then be rolled back).
        """
        self.prepare_many(records)()

    def prepare_many(self, records: Mapping[str, Sequence[AuditRecord]], new: bool = False) -> Write:
        """`record_many` with the heads read and the entries made now, written when called.
        With `new`, the logs are known to be empty (their applications are made in this
        transaction): no head is read, and a log that has one after all raises ConcurrentUpdate."""
        wanted = [app_id for app_id, some in records.items() if some]
        if not wanted:
            return _nothing
        known = {} if new else self.heads(wanted)
        rows: list[dict[str, Any]] = []
        moved: list[dict[str, Any]] = []
        started: list[dict[str, Any]] = []
        for app_id in wanted:
            first = known.get(app_id)
            head, entries = audit.seal_many(first, f"/applications/{app_id}", records[app_id], self.ids)
            assert head is not None
            rows.append(
                {
                    "application_id": app_id,
                    "first_sequence": first.count if first else 0,
                    "document": f"[{','.join(entries)}]",
                }
            )
            if first:
                moved.append({"id": app_id, "was": first.count, "count": head.count, "hash": head.hash})
            else:
                started.append({"application_id": app_id, "count": head.count, "hash": head.hash})
        insert_batches = _INSERT_BATCHES.bind(self.connection, rows)
        new_heads = _NEW_HEAD.bind(self.connection, started)
        move_heads = _MOVE_HEAD.bind(self.connection, moved)

        def write() -> None:
            try:
                insert_batches()  # a place taken meanwhile is a key taken
                new_heads()
            except IntegrityError:
                raise ConcurrentUpdate(", ".join(wanted)) from None
            if move_heads() != len(moved):
                raise ConcurrentUpdate(", ".join(wanted))

        return write

    def heads(self, application_ids: Sequence[str]) -> dict[str, audit.Head]:
        """The heads of those logs that have one, by application id."""
        return {
            row.application_id: audit.Head(row[1], row[2])
            for row in self.connection.execute(
                select(audit_heads.c.application_id, audit_heads.c["count"], audit_heads.c.hash).where(
                    audit_heads.c.application_id.in_(application_ids)
                )
            )
        }

    def log(self, application_id: str) -> list[audit.AuditEvent]:
        """The log, oldest first. Raises UnreadableAuditEntry at the first entry that is not a
        well-formed event (or at the first entry of a row that is not a JSON array)."""
        rows = self.connection.execute(
            select(audit_batches.c.document)
            .where(audit_batches.c.application_id == application_id)
            .order_by(audit_batches.c.first_sequence)
        ).scalars()
        entries: list[audit.AuditEvent] = []
        for document in rows:
            entries.extend(_read_batch(document, len(entries)))
        return entries

    def head(self, application_id: str) -> audit.Head | None:
        row = self.connection.execute(
            select(audit_heads).where(audit_heads.c.application_id == application_id)
        ).first()
        return audit.Head(row._mapping["count"], row.hash) if row else None

    def application_ids(self) -> list[str]:
        ids = self.connection.execute(
            select(audit_heads.c.application_id).union(select(audit_batches.c.application_id))
        ).scalars()
        return sorted(ids)


def _read_batch(document: str, start: int) -> Iterable[audit.AuditEvent]:
    try:
        events = json.loads(document)
    except ValueError as error:
        raise UnreadableAuditEntry(start, None, f"not JSON: {error}") from None
    if not isinstance(events, list):
        raise UnreadableAuditEntry(start, None, "not a JSON array of events")
    for index, event in enumerate(events, start):
        if not isinstance(event, dict):
            raise UnreadableAuditEntry(index, None, "an entry must be a JSON object")
        try:
            yield audit.from_cloudevent_json(event)
        except DomainError as error:
            event_id = event.get("id")
            raise UnreadableAuditEntry(
                index, event_id if isinstance(event_id, str) else None, str(error)
            ) from None
