"""The transactional outbox in SQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from sqlalchemy import Connection, insert, select, update

from yijianshi.adapters.sql.tables import outbox
from yijianshi.services.ports import Dispatch


class SqlOutbox:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, dispatches: Sequence[Dispatch]) -> None:
        if dispatches:
            self.connection.execute(insert(outbox), [{
                "event_id": d.event_id, "application_id": d.application_id, "case_id": d.case_id,
                "item": d.item, "department": d.department, "payload": dict(d.data),
                "created_at": d.created_at, "attempts": 0} for d in dispatches])

    def pending(self, limit: int) -> list[Dispatch]:
        rows = self.connection.execute(select(outbox).where(outbox.c.delivered_at.is_(None))
                                       .order_by(outbox.c.id).limit(limit))
        return [Dispatch(r.event_id, r.application_id, r.case_id, r.item, r.department,
                         dict(r.payload), r.created_at) for r in rows]

    def mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        if event_ids:
            self.connection.execute(update(outbox).where(outbox.c.event_id.in_(event_ids))
                                    .values(delivered_at=at, attempts=outbox.c.attempts + 1))
