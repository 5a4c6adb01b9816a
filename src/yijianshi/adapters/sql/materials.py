"""Uploaded materials and the pages' drafts in SQL, on the unit of work's connection."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, and_, delete, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from yijianshi.adapters.sql.service_tables import drafts, uploaded_materials
from yijianshi.adapters.sql.times import utc
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.errors import UploadsUnavailable

_COLUMNS = [c for c in uploaded_materials.c if c.name != "content"]


def _upload(row: Any) -> Upload:
    return Upload(
        row.id,
        row.applicant,
        row.material,
        row.filename,
        row.content_type,
        row.size,
        row.sha256,
        row.uploaded_by,
        utc(row.created_at),
        row.application_id,
    )


class SqlUploads:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def add(self, upload: Upload, content: bytes) -> None:
        self.connection.execute(
            insert(uploaded_materials).values(
                id=upload.id,
                applicant=upload.applicant,
                material=upload.material,
                filename=upload.filename,
                content_type=upload.content_type,
                size=upload.size,
                sha256=upload.sha256,
                uploaded_by=upload.uploaded_by,
                created_at=utc(upload.created_at),
                application_id=upload.application_id,
                content=content,
            )
        )

    def get(self, upload_id: str) -> Upload | None:
        row = self.connection.execute(select(*_COLUMNS).where(uploaded_materials.c.id == upload_id)).first()
        return _upload(row) if row else None

    def content(self, upload_id: str) -> bytes | None:
        found = self.connection.execute(
            select(uploaded_materials.c.content).where(uploaded_materials.c.id == upload_id)
        ).scalar()
        return bytes(found) if found is not None else None

    def remove(self, upload_id: str, applicant: str) -> bool:
        done = self.connection.execute(
            delete(uploaded_materials).where(
                uploaded_materials.c.id == upload_id,
                uploaded_materials.c.applicant == applicant,
                uploaded_materials.c.application_id.is_(None),
            )
        )
        return done.rowcount == 1

    def attach(self, attachments: Sequence[tuple[str, str, Mapping[str, str]]]) -> None:
        for application_id, applicant, chosen in attachments:
            if not chosen:
                continue
            t = uploaded_materials.c
            wanted = or_(*(and_(t.id == upload_id, t.material == key) for key, upload_id in chosen.items()))
            done = self.connection.execute(
                update(uploaded_materials)
                .where(wanted, t.applicant == applicant, t.application_id.is_(None))
                .values(application_id=application_id)
            )
            if done.rowcount != len(chosen):
                attached = set(
                    self.connection.execute(select(t.id).where(t.application_id == application_id)).scalars()
                )
                raise UploadsUnavailable(sorted(k for k, u in chosen.items() if u not in attached))

    def expire(self, before: dt.datetime) -> list[Upload]:
        t = uploaded_materials.c
        stale = and_(
            t.application_id.is_(None),
            t.created_at < utc(before),
            t.applicant.not_in(select(drafts.c.applicant)),
        )
        # what was deleted, exactly: a draft saved meanwhile keeps its applicant's uploads
        return [
            _upload(r)
            for r in self.connection.execute(delete(uploaded_materials).where(stale).returning(*_COLUMNS))
        ]

    def of_application(self, application_id: str) -> list[Upload]:
        rows = self.connection.execute(
            select(*_COLUMNS)
            .where(uploaded_materials.c.application_id == application_id)
            .order_by(uploaded_materials.c.created_at, uploaded_materials.c.id)
        )
        return [_upload(r) for r in rows]


def _draft(row: Any) -> Draft:
    data = row.data
    return Draft(
        row.applicant,
        row.bundle,
        dict(data.get("answers", {})),
        dict(data.get("people", {})),
        dict(data.get("values", {})),
        dict(data.get("materials", {})),
        frozenset(data.get("steps", [])),
        str(data.get("idempotency_key", "")),
        utc(row.updated_at),
    )


class SqlDrafts:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        dialect = postgresql if connection.dialect.name == "postgresql" else sqlite
        self._insert = dialect.insert

    def get(self, applicant: str, bundle: str) -> Draft | None:
        row = self.connection.execute(
            select(drafts).where(drafts.c.applicant == applicant, drafts.c.bundle == bundle)
        ).first()
        return _draft(row) if row else None

    def put(self, draft: Draft) -> None:
        data = {
            "answers": dict(draft.answers),
            "people": dict(draft.people),
            "values": dict(draft.values),
            "materials": dict(draft.materials),
            "steps": sorted(draft.steps),
            "idempotency_key": draft.idempotency_key,
        }
        at = utc(draft.updated_at or dt.datetime.now(dt.UTC))
        upsert = self._insert(drafts).values(
            applicant=draft.applicant, bundle=draft.bundle, data=data, updated_at=at
        )
        self.connection.execute(
            upsert.on_conflict_do_update(  # two tabs saving at once: the last wins
                index_elements=[drafts.c.applicant, drafts.c.bundle], set_={"data": data, "updated_at": at}
            )
        )

    def delete(self, keys: Sequence[tuple[str, str]]) -> None:
        if keys:
            self.connection.execute(
                delete(drafts).where(
                    or_(*(and_(drafts.c.applicant == a, drafts.c.bundle == b) for a, b in keys))
                )
            )

    def expire(self, before: dt.datetime) -> list[Draft]:
        # what was deleted, exactly: a draft saved meanwhile is not stale any more
        return [
            _draft(r)
            for r in self.connection.execute(
                delete(drafts).where(drafts.c.updated_at < utc(before)).returning(*drafts.c)
            )
        ]
