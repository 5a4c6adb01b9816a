"""Uploaded materials and the pages' drafts in memory (see services/applications/ports.py)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping, Sequence

from yijianshi.adapters.memory.applications import utc
from yijianshi.adapters.memory.database import Transaction
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.errors import UploadsUnavailable


class DuplicateUploadId(Exception):
    """An upload's id is taken already (SQL: a primary key violated)."""


class MemoryUploads:
    """Uploaded materials of one unit of work (ports.Uploads)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction

    def add(self, upload: Upload, content: bytes) -> None:
        uploads = self.transaction.write().uploads
        if upload.id in uploads:
            raise DuplicateUploadId(upload.id)
        uploads[upload.id] = (dataclasses.replace(upload, created_at=utc(upload.created_at)), bytes(content))

    def get(self, upload_id: str) -> Upload | None:
        found = self.transaction.read().uploads.get(upload_id)
        return found[0] if found else None

    def content(self, upload_id: str) -> bytes | None:
        found = self.transaction.read().uploads.get(upload_id)
        return found[1] if found else None

    def remove(self, upload_id: str, applicant: str) -> bool:
        uploads = self.transaction.write().uploads  # checked under the writer lock, as SQL's DELETE
        found = uploads.get(upload_id)
        if found is None or found[0].applicant != applicant or found[0].application_id is not None:
            return False
        del uploads[upload_id]
        return True

    def attach(self, attachments: Sequence[tuple[str, str, Mapping[str, str]]]) -> None:
        for application_id, applicant, chosen in attachments:
            if not chosen:
                continue
            uploads = self.transaction.write().uploads
            for key, upload_id in chosen.items():
                found = uploads.get(upload_id)
                if found is None:
                    continue
                upload, content = found
                if upload.material == key and upload.applicant == applicant and upload.application_id is None:
                    uploads[upload_id] = (dataclasses.replace(upload, application_id=application_id), content)
            attached = {u for u, (upload, _) in uploads.items() if upload.application_id == application_id}
            missing = sorted(k for k, u in chosen.items() if u not in attached)
            if missing:
                raise UploadsUnavailable(missing)

    def of_application(self, application_id: str) -> list[Upload]:
        return sorted(
            (u for u, _ in self.transaction.read().uploads.values() if u.application_id == application_id),
            key=lambda u: (u.created_at, u.id),
        )

    def expire(self, before: dt.datetime) -> list[Upload]:
        tables = self.transaction.write()  # what is deleted, exactly: checked under the writer lock
        drafting = {applicant for applicant, _ in tables.drafts}
        stale = sorted(
            (
                u
                for u, _ in tables.uploads.values()
                if u.application_id is None and u.created_at < before and u.applicant not in drafting
            ),
            key=lambda u: (u.created_at, u.id),
        )
        for upload in stale:
            del tables.uploads[upload.id]
        return stale


def _copy(draft: Draft) -> Draft:
    """A draft with maps of its own: the caller may change them."""
    return dataclasses.replace(
        draft,
        answers=dict(draft.answers),
        people=dict(draft.people),
        values=dict(draft.values),
        materials=dict(draft.materials),
    )


class MemoryDrafts:
    """The pages' drafts of one unit of work (ports.Drafts)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction

    def get(self, applicant: str, bundle: str) -> Draft | None:
        found = self.transaction.read().drafts.get((applicant, bundle))
        return _copy(found) if found else None

    def put(self, draft: Draft) -> None:
        kept = dataclasses.replace(
            _copy(draft),
            steps=frozenset(draft.steps),
            updated_at=utc(draft.updated_at or dt.datetime.now(dt.UTC)),
        )
        self.transaction.write().drafts[(draft.applicant, draft.bundle)] = kept

    def delete(self, keys: Sequence[tuple[str, str]]) -> None:
        if keys:
            drafts = self.transaction.write().drafts
            for key in keys:
                drafts.pop(key, None)

    def expire(self, before: dt.datetime) -> list[Draft]:
        drafts = self.transaction.write().drafts  # what is deleted, exactly: under the writer lock
        stale = [d for d in drafts.values() if d.updated_at is not None and d.updated_at < before]
        for draft in stale:
            del drafts[(draft.applicant, draft.bundle)]
        return [_copy(d) for d in stale]
