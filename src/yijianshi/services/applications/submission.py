"""Use cases of applications: submit one bundle, get one case per applicable item."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.cases import Application, open_application
from yijianshi.domain.forms import validate_form
from yijianshi.domain.planning import Holdings, Source
from yijianshi.domain.text import Text
from yijianshi.services.applications.group_commit import GroupCommit
from yijianshi.services.audit.ports import audit_records
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import Dispatch, dispatch
from yijianshi.services.errors import DuplicateSubmission, FormInvalid, Invalid
from yijianshi.services.planning import PlanBundle, plan_bundle


@dataclass(frozen=True, slots=True)
class SubmitApplication:
    """Command: submit `values` of the merged form for `bundle`, once per idempotency key."""

    bundle: str
    applicant: str
    idempotency_key: str
    values: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    holdings: Holdings = field(default_factory=Holdings)
    actor: str = ""  # who submits, when not the applicant: a window clerk (无差别受理)
    materials: Mapping[str, str] = field(default_factory=dict)  # material key -> upload id, attached
    from_draft: bool = False  # the pages' draft of (applicant, bundle) is deleted with the submission


@dataclass(frozen=True, slots=True)
class Submitted:
    application_id: str
    created: bool  # False when the idempotency key named an earlier submission


@dataclass(frozen=True, slots=True)
class _NewApplication:
    """A submission ready to be stored: what the group commit writes."""

    application: Application
    idempotency_key: str
    submitted_at: dt.datetime
    dispatches: list[Dispatch]
    records: list[AuditRecord]
    materials: Mapping[str, str] = field(default_factory=dict)
    from_draft: bool = False


class Submissions:
    """The deployment's group commit of new applications (a context component): concurrent
    submissions share one transaction and one durable commit (see group_commit.py), at most
    `context.policy.max_group` of them."""

    def __init__(self, context: Context) -> None:
        self._unit_of_work = context.unit_of_work
        self._commits = GroupCommit(self._store, context.policy.max_group)

    def submit(self, new: _NewApplication) -> None:
        """Return once `new` is committed; raise DuplicateSubmission or what storing it raised."""
        self._commits.submit(new)

    def _store(self, new: Sequence[_NewApplication]) -> None:
        with self._unit_of_work() as uow:
            # every write prepared first (entries hashed, rows made), so that the transaction
            # holds its write locks (on SQLite, the database's) only while its statements run
            writes = [
                uow.audit.prepare_many({n.application.id: n.records for n in new}, new=True),
                uow.applications.prepare_add(
                    [(n.application, n.idempotency_key, n.submitted_at) for n in new]
                ),
                uow.outbox.prepare_add([d for n in new for d in n.dispatches]),
            ]
            for write in writes:
                write()
            if any(n.materials or n.from_draft for n in new):  # the pages' submissions only
                uow.uploads.attach([(n.application.id, n.application.applicant, n.materials) for n in new])
                uow.drafts.delete(
                    [(n.application.applicant, n.application.bundle) for n in new if n.from_draft]
                )
            uow.commit()


def submit_application(context: Context, command: SubmitApplication) -> Submitted:
    """Validate, plan and store one application with its cases, in one transaction (which it
    may share with concurrent submissions); return once that transaction committed.

    A retry with the same idempotency key returns the first application, even when the form
    would no longer validate. The uploads named in `materials` are attached to it in the same
    transaction. Raises FormInvalid, UnknownBundle, InvalidAnswers, Invalid (a material the plan
    does not ask the applicant for) or UploadsUnavailable; nothing is written then.
    """
    now = context.clock.now()
    plan = plan_bundle(context, PlanBundle(command.bundle, now.date(), command.answers, command.holdings))
    errors = [
        e for e in validate_form(plan.fields, context.catalog.elements, dict(command.values)) if not e.warning
    ]
    if errors:
        earlier = _earlier(context, command)
        if earlier is not None:
            return earlier
        raise FormInvalid(errors)
    asked = {m.key for m in plan.materials if m.source is Source.APPLICANT}
    unknown = sorted(set(command.materials) - asked)
    if unknown:
        raise Invalid(
            Text(
                f"这件事不需要您提供材料 {unknown[0]}",
                f"the plan does not ask you for the material {unknown[0]}",
            ),
            f"materials.{unknown[0]}",
        )
    values = {f.key: command.values[f.key] for f in plan.fields if command.values.get(f.key)}
    application = open_application(
        plan, context.ids(), command.applicant, values, {item.code: context.ids() for item in plan.items}
    )
    dispatches = dispatch(context.catalog, application, application.start(now), now, context.ids)
    actor = command.actor or command.applicant
    records = [
        AuditRecord(
            "org.yijianshi.application.submitted",
            now,
            actor,
            data={
                "bundle": command.bundle,
                "fields": sorted(values),
                "applicant": command.applicant,
                "assisted": actor != command.applicant,
                "items": [c.item for c in application.cases.values()],
            },
        ),
        *audit_records(application, actor),
    ]
    try:
        context.component(Submissions, Submissions).submit(
            _NewApplication(
                application,
                command.idempotency_key,
                now,
                dispatches,
                records,
                command.materials,
                command.from_draft,
            )
        )
    except DuplicateSubmission:  # a retry, or a concurrent retry that committed first
        earlier = _earlier(context, command)
        assert earlier is not None
        return earlier
    return Submitted(application.id, created=True)


def _earlier(context: Context, command: SubmitApplication) -> Submitted | None:
    with context.unit_of_work() as uow:
        first = uow.applications.find_by_key(command.applicant, command.idempotency_key)
    return Submitted(first, created=False) if first is not None else None
