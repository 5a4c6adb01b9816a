"""Who may see what (services/access.py), on the fake context: an applicant sees only their own
applications, a department only its own cases once they reached it, and only its items' data;
every refusal reads exactly as "there is nothing here"."""

from __future__ import annotations

import pytest

from tests.fakes import NOW, fake_context
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.services.access import (
    NOT_FOUND_APPLICATION,
    NOT_FOUND_CASE,
    department_case,
    minimised,
    owned_application,
)
from yijianshi.services.applications.ports import Upload
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context
from yijianshi.services.errors import NotFound


def birth_application(context: Context) -> str:
    plan = build_plan(
        context.catalog, context.catalog.bundles["birth"], {}, Holdings(), context.calendar, NOW.date()
    )
    values = SyntheticPeople(context.catalog, seed=0).form_values(plan, NOW.date())
    return submit_application(context, SubmitApplication("birth", "parent-1", "k", values)).application_id


def case_ids(context: Context, application_id: str) -> dict[str, str]:
    """Item -> case id of the application."""
    with context.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    return {c.item: c.id for c in application.cases.values()}


def upload(upload_id: str, material: str) -> Upload:
    return Upload(upload_id, "parent-1", material, "scan.pdf", "application/pdf", 10, "0" * 64, "a", NOW)


def test_an_applicant_gets_their_own_application() -> None:
    context = fake_context()
    application_id = birth_application(context)
    with context.unit_of_work() as uow:
        application, row = owned_application(uow, application_id, "parent-1")
    assert (application.id, row.id, row.applicant, row.bundle) == (
        application_id,
        application_id,
        "parent-1",
        "birth",
    )


def test_another_applicants_application_reads_as_one_that_does_not_exist() -> None:
    context = fake_context()
    application_id = birth_application(context)
    with context.unit_of_work() as uow:
        with pytest.raises(NotFound) as theirs:
            owned_application(uow, application_id, "stranger")
        with pytest.raises(NotFound) as nothing:
            owned_application(uow, "no-such-application", "stranger")
    assert theirs.value.message == nothing.value.message == NOT_FOUND_APPLICATION
    assert str(theirs.value) == str(nothing.value)


def test_a_department_gets_its_case_once_it_was_sent() -> None:
    context = fake_context()
    application_id = birth_application(context)
    first = case_ids(context, application_id)["birth-medical-certificate"]
    with context.unit_of_work() as uow:
        application, case = department_case(uow, first, "ruian-hospital")
    assert (application.id, case.id, case.state.value) == (application_id, first, "sent")


def test_a_case_of_another_department_or_not_yet_sent_reads_as_one_that_does_not_exist() -> None:
    context = fake_context()
    cases = case_ids(context, birth_application(context))
    waiting = cases["birth-household-registration"]  # waits for the birth medical certificate
    waiting_department = context.catalog.items["birth-household-registration"].department
    with context.unit_of_work() as uow:
        with pytest.raises(NotFound) as other:
            department_case(uow, cases["birth-medical-certificate"], waiting_department)
        with pytest.raises(NotFound) as not_yet:
            department_case(uow, waiting, waiting_department)
        with pytest.raises(NotFound) as nothing:
            department_case(uow, "no-such-case", "ruian-hospital")
    assert other.value.message == not_yet.value.message == nothing.value.message == NOT_FOUND_CASE


def test_a_department_sees_only_its_items_fields_and_the_uploads_of_its_items_materials() -> None:
    context = fake_context()
    application_id = birth_application(context)
    first = case_ids(context, application_id)["birth-medical-certificate"]
    with context.unit_of_work() as uow:
        application, case = department_case(uow, first, "ruian-hospital")
    uploads = [upload("u-1", "resident_id_card:mother"), upload("u-2", "household_booklet:household")]
    shown = minimised(context.catalog, application, case, uploads)

    item = context.catalog.items["birth-medical-certificate"]
    assert set(shown.fields) <= {f.key for f in item.fields}
    assert shown.fields["father.id_number"] == application.data["father.id_number"]
    assert "mother.bank_account" in application.data
    assert "mother.bank_account" not in shown.fields
    assert [m["key"] for m in shown.materials] == [m.key for m in item.materials]
    uploaded = {m["key"]: [u["id"] for u in m["uploads"]] for m in shown.materials}
    assert uploaded == {
        "resident_id_card:father": [],
        "resident_id_card:mother": ["u-1"],
        "delivery_record:mother": [],
    }
    mother = next(m for m in shown.materials if m["key"] == "resident_id_card:mother")
    assert (mother["name"], mother["name_en"], mother["subject"]) == (
        "母亲居民身份证",
        "Mother's resident ID card",
        "mother",
    )
