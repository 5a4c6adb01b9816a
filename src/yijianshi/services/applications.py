"""Use cases of applications: submit one bundle, get one case per applicable item."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.cases import open_application
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.forms import FieldError, validate_form
from yijianshi.domain.planning import Holdings
from yijianshi.services.dispatching import audit_records, dispatch
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.services.ports import AuditRecord, Clock, DuplicateSubmission, UnitOfWork


def new_id() -> str:
    return uuid.uuid4().hex


@dataclass(frozen=True, slots=True)
class SubmitApplication:
    """Command: submit `values` of the merged form for `bundle`, once per idempotency key."""

    bundle: str
    applicant: str
    idempotency_key: str
    values: Mapping[str, str] = field(default_factory=dict)
    answers: Mapping[str, str] = field(default_factory=dict)
    holdings: Holdings = field(default_factory=Holdings)


@dataclass(frozen=True, slots=True)
class Submitted:
    application_id: str
    created: bool  # False when the idempotency key named an earlier submission


class FormInvalid(Exception):
    """The merged form has errors; every field error is listed, with zh-CN and en text."""

    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(f"{e.key}: {e.message.en}" for e in errors))
        self.errors = errors


@dataclass
class ApplicationServices:
    """What the application use cases need, wired by bootstrap."""

    catalog: Catalog
    calendar: WorkingCalendar
    unit_of_work: Callable[[], UnitOfWork]
    clock: Clock
    ids: Callable[[], str] = new_id


def submit_application(services: ApplicationServices, command: SubmitApplication) -> Submitted:
    """Validate, plan and store one application with its cases, in one transaction.

    A retry with the same idempotency key returns the first application. Raises FormInvalid,
    UnknownBundle or InvalidAnswers; nothing is written then.
    """
    with services.unit_of_work() as uow:
        earlier = uow.applications.find_by_key(command.applicant, command.idempotency_key)
    if earlier is not None:
        return Submitted(earlier, created=False)
    now = services.clock.now()
    plan = plan_bundle(services.catalog, services.calendar, PlanBundle(
        command.bundle, now.date(), command.answers, command.holdings))
    errors = [e for e in validate_form(plan.fields, services.catalog.elements, dict(command.values))
              if not e.warning]
    if errors:
        raise FormInvalid(errors)
    values = {f.key: command.values[f.key] for f in plan.fields if command.values.get(f.key)}
    application = open_application(plan, services.ids(), command.applicant, values,
                                   {item.code: services.ids() for item in plan.items})
    dispatches = dispatch(services.catalog, application, application.start(now), now, services.ids)
    with services.unit_of_work() as uow:
        try:
            uow.applications.add(application, command.idempotency_key, now)
            uow.outbox.add(dispatches)
            uow.audit.record(application.id, [
                AuditRecord("org.yijianshi.application.submitted", now, command.applicant, data={
                    "bundle": command.bundle, "fields": sorted(values),
                    "items": [c.item for c in application.cases.values()]}),
                *audit_records(application, command.applicant)])
            uow.commit()
        except DuplicateSubmission:  # a concurrent retry committed first
            pass
        else:
            return Submitted(application.id, created=True)
    with services.unit_of_work() as uow:
        first = uow.applications.find_by_key(command.applicant, command.idempotency_key)
    assert first is not None
    return Submitted(first, created=False)
