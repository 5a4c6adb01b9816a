"""Use cases of the pages' drafts (草稿): an application in progress, kept in the database per
applicant and bundle, so that a refresh, the back button or coming back another day loses
nothing. The submission deletes the draft in its own transaction (services.applications).
"""

from __future__ import annotations

import dataclasses
import secrets
from collections.abc import Mapping
from typing import Any

from yijianshi.domain.forms import validate_form
from yijianshi.domain.planning import Plan
from yijianshi.services.applications import ApplicationServices, FormInvalid
from yijianshi.services.material_ports import Draft


def draft_of(services: ApplicationServices, applicant: str, bundle: str) -> Draft:
    """The applicant's draft of the bundle; an empty one if there is none."""
    with services.unit_of_work() as uow:
        return uow.drafts.get(applicant, bundle) or Draft(applicant, bundle)


def update_draft(services: ApplicationServices, draft: Draft, **changes: Any) -> Draft:
    """Store the draft with `changes` (fields of Draft); return it as stored."""
    changed = dataclasses.replace(draft, **changes, updated_at=services.clock.now())
    with services.unit_of_work() as uow:
        uow.drafts.put(changed)
        uow.commit()
    return changed


def with_submission_key(services: ApplicationServices, draft: Draft) -> Draft:
    """The draft with the idempotency key its submission will carry, made (and stored) on first
    use, so that a reloaded check page, a double click or a retry submit once."""
    if draft.idempotency_key:
        return draft
    return update_draft(services, draft, idempotency_key=secrets.token_urlsafe(24))


def check_form(services: ApplicationServices, plan: Plan, values: Mapping[str, str]) -> None:
    """Validate the merged form as a submission will; raise FormInvalid with every field error
    (warnings, such as a credit code's check character, do not stop it)."""
    errors = [e for e in validate_form(plan.fields, services.catalog.elements, dict(values)) if not e.warning]
    if errors:
        raise FormInvalid(errors)
