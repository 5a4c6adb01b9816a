"""Use cases run through the fake context (tests/fakes.py): submission, a department's
decisions, delivery and the applicant's reads, without a database."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.fakes import NOW, RecordingGateway, fake_context
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain import audit
from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.services.applications.queries import (
    ListApplications,
    ListWorklist,
    ViewApplication,
    application_view,
    applications_of,
    worklist,
)
from yijianshi.services.applications.submission import FormInvalid, SubmitApplication, submit_application
from yijianshi.services.cases.decisions import AcceptCase, CompleteCase, accept_case, complete_case
from yijianshi.services.context import Context
from yijianshi.services.delivery.dispatching import DeliverDue, deliver_pending

PARENT = Principal("parent-1", Role.APPLICANT, "李秀英")


def birth(context: Context, key: str = "key-1", **changes: str) -> SubmitApplication:
    plan = build_plan(
        context.catalog, context.catalog.bundles["birth"], {}, Holdings(), context.calendar, NOW.date()
    )
    values = SyntheticPeople(context.catalog, seed=0).form_values(plan, NOW.date())
    return SubmitApplication("birth", "parent-1", key, {**values, **changes})


def test_a_submitted_application_is_listed_in_progress_and_its_first_case_is_delivered() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    gateway = RecordingGateway()
    assert deliver_pending(context, DeliverDue(), gateway) == 1
    (row,) = applications_of(context, ListApplications("parent-1"))
    assert (row.id, row.status, row.version) == (submitted.application_id, "in_progress", 1)
    (delivered,) = gateway.delivered
    assert delivered.item == "birth-medical-certificate"
    assert delivered.application_id == submitted.application_id
    assert deliver_pending(context, DeliverDue(), gateway) == 0  # delivered once


def test_a_retry_with_the_same_key_returns_the_first_application() -> None:
    context = fake_context()
    first = submit_application(context, birth(context))
    again = submit_application(context, birth(context))
    assert again == dataclasses.replace(first, created=False)
    assert len(applications_of(context, ListApplications("parent-1"))) == 1


def test_an_invalid_form_is_refused_and_nothing_is_stored() -> None:
    context = fake_context()
    with pytest.raises(FormInvalid) as raised:
        submit_application(context, birth(context, **{"mother.id_number": "not-a-number"}))
    assert "mother.id_number" in {e.where for e in raised.value.errors}
    assert applications_of(context, ListApplications("parent-1")) == []


def test_the_department_completing_the_first_case_sends_the_cases_waiting_for_it() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    view = application_view(context, ViewApplication(PARENT, "parent-1", submitted.application_id))
    first = next(c for c in view.cases if c.state == "sent")
    assert [w.case.id for w in worklist(context, ListWorklist(first.department))] == [first.id]

    context.clock.moment = NOW + dt.timedelta(days=1)  # type: ignore[attr-defined]
    accept_case(context, AcceptCase(first.id))
    complete_case(context, CompleteCase(first.id, {"newborn.name": "李小明"}))

    after = application_view(context, ViewApplication(PARENT, "parent-1", submitted.application_id))
    states = {c.item: c.state for c in after.cases}
    assert states["birth-medical-certificate"] == "completed"
    assert "sent" in states.values()  # the next items went out to their departments
    assert after.data["newborn.name"] == "李小明"
    (row,) = applications_of(context, ListApplications("parent-1"))
    assert row.version == 3  # moved on once per decision


def test_every_read_and_change_is_in_an_audit_trail_that_verifies() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    application_view(context, ViewApplication(PARENT, "parent-1", submitted.application_id))
    with context.unit_of_work() as uow:
        log = uow.audit.log(submitted.application_id)
        head = uow.audit.head(submitted.application_id)
    assert audit.verify(log, head).ok
    assert log[0].type == "org.yijianshi.application.submitted"
    assert log[-1].type == "org.yijianshi.personal_data.read"
    assert log[-1].actor == "applicant:parent-1"
