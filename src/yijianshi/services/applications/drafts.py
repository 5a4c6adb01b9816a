"""Use cases of the pages' drafts (草稿): an application in progress, kept in the database per
applicant and bundle, so that a refresh, the back button or coming back another day loses
nothing. The submission deletes the draft in its own transaction (services.applications).

A draft left unsubmitted is kept for a set time after its last change (`draft_retention_days`);
then `expire_drafts` (run by the worker) deletes it, and the materials its applicant uploaded
for no application. Uploads are personal data (identity documents, certificates): they are kept
no longer than the application they were made for needs. Each deletion is recorded in the
applicant's trail.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import secrets
from collections.abc import Mapping
from dataclasses import dataclass

from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.forms import validate_form
from yijianshi.domain.planning import Plan
from yijianshi.services.applications.ports import Draft
from yijianshi.services.audit.ports import trail
from yijianshi.services.context import Context
from yijianshi.services.errors import FormInvalid
from yijianshi.services.unit_of_work import retried_on_conflict

DRAFT_EXPIRED = "org.yijianshi.draft.expired"
UPLOAD_DELETED = "org.yijianshi.upload.deleted"
PURPOSE = "草稿逾期未提交，删除草稿及其上传材料 (an unsubmitted draft expired: it and its uploads go)"


@dataclass(frozen=True, slots=True)
class Expired:
    """What one `expire_drafts` deleted."""

    drafts: int
    uploads: int


@dataclass(frozen=True, slots=True)
class ExpireDrafts:
    """Command: delete what is kept longer than `context.policy.draft_retention_days` (days)."""


@retried_on_conflict
def expire_drafts(context: Context, command: ExpireDrafts) -> Expired:
    """Delete the drafts not changed for the policy's `draft_retention_days`, then the uploads
    attached to no application of applicants left without a draft, made as long ago; record each
    in its applicant's trail."""
    kept = dt.timedelta(days=context.policy.draft_retention_days)
    now = context.clock.now()
    before = now - kept
    with context.unit_of_work() as uow:
        drafts = uow.drafts.expire(before)
        uploads = uow.uploads.expire(before)
        records: dict[str, list[AuditRecord]] = {}
        for draft in drafts:
            records.setdefault(trail(draft.applicant), []).append(
                AuditRecord(
                    DRAFT_EXPIRED,
                    now,
                    "system",
                    draft.applicant,
                    {
                        "bundle": draft.bundle,
                        "kept_days": kept.days,
                        "last_changed": draft.updated_at.isoformat() if draft.updated_at else None,
                    },
                    purpose=PURPOSE,
                )
            )
        for upload in uploads:  # what identifies the file, not what is in it
            records.setdefault(trail(upload.applicant), []).append(
                AuditRecord(
                    UPLOAD_DELETED,
                    now,
                    "system",
                    upload.applicant,
                    {
                        "upload": upload.id,
                        "material": upload.material,
                        "size": upload.size,
                        "sha256": upload.sha256,
                        "uploaded_at": upload.created_at.isoformat(),
                    },
                    purpose=PURPOSE,
                )
            )
        uow.audit.record_many(records)
        uow.commit()
    return Expired(len(drafts), len(uploads))


@dataclass(frozen=True, slots=True)
class ReadDraft:
    """Command: read `applicant`'s draft of `bundle`."""

    applicant: str
    bundle: str


def draft_of(context: Context, command: ReadDraft) -> Draft:
    """The applicant's draft of the bundle; an empty one if there is none."""
    with context.unit_of_work() as uow:
        return uow.drafts.get(command.applicant, command.bundle) or Draft(command.applicant, command.bundle)


@dataclass(frozen=True, slots=True)
class UpdateDraft:
    """Command: store `draft` (changed with `dataclasses.replace`) as its applicant's draft of
    its bundle."""

    draft: Draft


def update_draft(context: Context, command: UpdateDraft) -> Draft:
    """Store the draft, changed now; return it as stored."""
    changed = dataclasses.replace(command.draft, updated_at=context.clock.now())
    with context.unit_of_work() as uow:
        uow.drafts.put(changed)
        uow.commit()
    return changed


@dataclass(frozen=True, slots=True)
class KeyDraftSubmission:
    """Command: give `draft` the idempotency key its submission will carry."""

    draft: Draft


def with_submission_key(context: Context, command: KeyDraftSubmission) -> Draft:
    """The draft with the idempotency key its submission will carry, made (and stored) on first
    use, so that a reloaded check page, a double click or a retry submit once."""
    draft = command.draft
    if draft.idempotency_key:
        return draft
    return update_draft(
        context, UpdateDraft(dataclasses.replace(draft, idempotency_key=secrets.token_urlsafe(24)))
    )


def check_form(context: Context, plan: Plan, values: Mapping[str, str]) -> None:
    """Validate the merged form as a submission will; raise FormInvalid with every field error
    (warnings, such as a credit code's check character, do not stop it). A validator the pages
    call between steps, not a use case: it reads nothing and writes nothing."""
    errors = [e for e in validate_form(plan.fields, context.catalog.elements, dict(values)) if not e.warning]
    if errors:
        raise FormInvalid(errors)
