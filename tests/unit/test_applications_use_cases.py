"""The applications area's use cases (services/applications) on the fake context: submitting,
drafts, uploaded materials, the applicant's and the departments' reads, and guidance. What
tests/unit/test_use_cases_on_fakes.py shows already (a plain retry, a refused form, delivery) is
not repeated here."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Mapping

import pytest

from tests.fakes import NOW, DictRegisters, fake_context
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.cases import Colour
from yijianshi.domain.errors import UnknownBundle
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.domain.text import Text
from yijianshi.services.applications.drafts import (
    DRAFT_EXPIRED,
    UPLOAD_DELETED,
    Expired,
    ExpireDrafts,
    KeyDraftSubmission,
    ReadDraft,
    UpdateDraft,
    check_form,
    draft_of,
    expire_drafts,
    update_draft,
    with_submission_key,
)
from yijianshi.services.applications.materials import (
    DiscardUploads,
    DownloadApplicationCertificate,
    FindSubmission,
    ListIssuedCertificates,
    ReadCaseMaterial,
    ReadDraftUploads,
    RemoveUpload,
    UploadMaterial,
    application_certificate,
    department_material,
    discard_uploads,
    issued_certificates,
    missing_uploads,
    on_paper,
    remove_upload,
    submitted_with,
    to_upload,
    upload_material,
    uploads_of_draft,
)
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.applications.queries import (
    READ,
    ListApplications,
    ListWorklist,
    ReadApplicationVersion,
    ViewApplication,
    ViewCase,
    ViewReceipt,
    application_version,
    application_view,
    applications_of,
    case_detail,
    receipt,
    worklist,
)
from yijianshi.services.applications.submission import SubmitApplication, Submitted, submit_application
from yijianshi.services.cases.decisions import AcceptCase, CompleteCase, accept_case, complete_case
from yijianshi.services.context import Context, Policy
from yijianshi.services.errors import (
    FormInvalid,
    Invalid,
    NotFound,
    TooLarge,
    UnsupportedType,
    UploadsUnavailable,
)
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.services.sharing.guidance import GuideApplicant, guide, trail

PARENT = Principal("parent-1", Role.APPLICANT, "李秀英")
STRANGER = Principal("stranger", Role.APPLICANT, "王芳")
CLERK = Principal("window-1", Role.CLERK, "窗口一号")
HOSPITAL = Principal("hospital-1", Role.DEPARTMENT, "医院", "ruian-hospital")
RETIREE = Principal("retiree-1", Role.APPLICANT, "杨思红")
MOTHERS_ID = "resident_id_card:mother"
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(32)


def form_values(context: Context, bundle: str, answers: Mapping[str, str] | None = None) -> dict[str, str]:
    """A valid merged form of the bundle for these answers (made-up people, always the same)."""
    plan = build_plan(
        context.catalog,
        context.catalog.bundles[bundle],
        answers or {},
        Holdings(),
        context.calendar,
        NOW.date(),
    )
    return SyntheticPeople(context.catalog, seed=0).form_values(plan, NOW.date())


def birth(
    context: Context, key: str = "key-1", applicant: str = "parent-1", **command: object
) -> SubmitApplication:
    return SubmitApplication("birth", applicant, key, form_values(context, "birth"), **command)  # type: ignore[arg-type]


def upload(
    context: Context,
    applicant: str = "parent-1",
    material: str = MOTHERS_ID,
    content: bytes = PDF,
    declared: str = "application/pdf",
    bundle: str | None = None,
) -> Upload:
    return upload_material(
        context,
        UploadMaterial(
            applicant, f"applicant:{applicant}", material, "身份证.pdf", declared, content, bundle
        ),
    )


def trail_of(context: Context, log: str) -> list[tuple[str, str, str | None, str | None]]:
    """(type, actor, subject, purpose) of every entry of an audit log."""
    with context.unit_of_work() as uow:
        return [(e.type, e.actor, e.subject, e.purpose) for e in uow.audit.log(log)]


def reads_of(context: Context, log: str) -> list[tuple[str, str]]:
    """(actor, result) of every read of personal data recorded in the log."""
    with context.unit_of_work() as uow:
        return [(e.actor, str(e.data["result"])) for e in uow.audit.log(log) if e.type == READ]


# Submission


def test_an_application_gets_one_case_per_item_its_answers_make_applicable() -> None:
    context = fake_context()
    answers = {"mother_insurance": "none", "social_security_card": "no"}
    values = form_values(context, "birth", answers)
    submitted = submit_application(context, SubmitApplication("birth", "parent-1", "k", values, answers))
    assert submitted.created
    view = application_view(context, ViewApplication(PARENT, "parent-1", submitted.application_id))
    assert sorted(c.item for c in view.cases) == [
        "birth-household-registration",
        "birth-medical-certificate",
        "resident-medical-insurance-enrolment",
        "resident-medical-insurance-payment",
        "vaccination-certificate",
    ]
    assert len({c.id for c in view.cases}) == 5
    assert view.bundle_name == context.catalog.bundles["birth"].name


def test_a_retry_returns_the_first_application_even_if_its_form_would_no_longer_pass() -> None:
    context = fake_context()
    first = submit_application(context, birth(context))
    retry = SubmitApplication("birth", "parent-1", "key-1", {"mother.id_number": "not-a-number"})
    assert submit_application(context, retry) == Submitted(first.application_id, created=False)
    assert submitted_with(context, FindSubmission("parent-1", "key-1")) == first.application_id
    assert submitted_with(context, FindSubmission("parent-1", "another-key")) is None


def test_the_same_key_of_another_applicant_is_another_application() -> None:
    context = fake_context()
    mine = submit_application(context, birth(context))
    theirs = submit_application(context, birth(context, applicant="parent-2"))
    assert theirs.created
    assert theirs.application_id != mine.application_id


def test_a_form_error_lists_every_bad_field_in_chinese_and_english() -> None:
    context = fake_context()
    bad = {"mother.id_number": "12345", "mother.phone": "not a phone"}
    command = SubmitApplication("birth", "parent-1", "k", {**form_values(context, "birth"), **bad})
    with pytest.raises(FormInvalid) as raised:
        submit_application(context, command)
    error = raised.value
    assert {e.where for e in error.errors} == set(bad)
    assert {str(p.where) for p in error.problems} == {"values.mother.id_number", "values.mother.phone"}
    for message in (p.message for p in error.problems):
        assert message.zh
        assert message.en != message.zh
    assert error.message.zh
    assert error.message.en
    assert error.field in {"values.mother.id_number", "values.mother.phone"}


def test_an_unknown_bundle_is_refused_naming_the_bundles_there_are() -> None:
    context = fake_context()
    with pytest.raises(UnknownBundle, match="birth"):
        submit_application(context, SubmitApplication("wedding", "parent-1", "k", {}))
    assert applications_of(context, ListApplications("parent-1")) == []


def test_a_material_the_plan_does_not_ask_the_applicant_for_is_refused_by_name() -> None:
    context = fake_context()
    with pytest.raises(Invalid) as raised:
        submit_application(context, birth(context, materials={"delivery_record:mother": "u-1"}))
    assert raised.value.field == "materials.delivery_record:mother"
    assert "delivery_record:mother" in raised.value.message.en
    assert applications_of(context, ListApplications("parent-1")) == []


def test_uploads_chosen_in_the_draft_go_with_the_submission_and_the_draft_goes() -> None:
    context = fake_context()
    chosen = upload(context, bundle="birth")
    submitted = submit_application(
        context, birth(context, materials={MOTHERS_ID: chosen.id}, from_draft=True)
    )
    assert draft_of(context, ReadDraft("parent-1", "birth")) == Draft("parent-1", "birth")
    with context.unit_of_work() as uow:
        attached = uow.uploads.of_application(submitted.application_id)
    assert [(u.id, u.material) for u in attached] == [(chosen.id, MOTHERS_ID)]


def test_another_applicants_upload_cannot_be_submitted_and_nothing_is_stored() -> None:
    context = fake_context()
    theirs = upload(context, applicant="parent-2")
    with pytest.raises(UploadsUnavailable) as raised:
        submit_application(context, birth(context, materials={MOTHERS_ID: theirs.id}))
    assert raised.value.field == f"materials.{MOTHERS_ID}"
    assert applications_of(context, ListApplications("parent-1")) == []


def test_a_clerks_submission_is_recorded_as_assisted_by_the_clerk() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context, actor=CLERK.actor))
    with context.unit_of_work() as uow:
        first = uow.audit.log(submitted.application_id)[0]
    assert (first.actor, first.data["applicant"], first.data["assisted"]) == (
        "clerk:window-1",
        "parent-1",
        True,
    )


# Drafts


def test_a_draft_is_empty_until_something_is_kept_and_then_comes_back_as_kept() -> None:
    context = fake_context()
    assert draft_of(context, ReadDraft("parent-1", "birth")) == Draft("parent-1", "birth")
    kept = update_draft(
        context,
        UpdateDraft(
            dataclasses.replace(
                draft_of(context, ReadDraft("parent-1", "birth")),
                values={"mother.name": "李秀英"},
                steps={"people"},
            )
        ),
    )
    again = draft_of(context, ReadDraft("parent-1", "birth"))
    assert again.values == {"mother.name": "李秀英"}
    assert again.steps == frozenset({"people"})
    assert again.updated_at == kept.updated_at == NOW
    assert draft_of(context, ReadDraft("parent-2", "birth")).values == {}


def test_the_submission_key_of_a_draft_is_made_once_so_a_double_click_submits_once() -> None:
    context = fake_context()
    keyed = with_submission_key(
        context, KeyDraftSubmission(draft_of(context, ReadDraft("parent-1", "birth")))
    )
    assert keyed.idempotency_key
    assert (
        with_submission_key(context, KeyDraftSubmission(draft_of(context, ReadDraft("parent-1", "birth"))))
        == keyed
    )


def test_checking_a_draft_form_reports_errors_but_not_warnings() -> None:
    context = fake_context()
    plan = plan_bundle(context, PlanBundle("birth", NOW.date()))
    check_form(context, plan, form_values(context, "birth"))
    with pytest.raises(FormInvalid) as raised:
        check_form(context, plan, {})
    assert {"child.name", "father.id_number"} <= {e.where for e in raised.value.errors}
    assert not any(e.warning for e in raised.value.errors)


def test_a_draft_left_for_the_retention_time_is_kept_and_one_day_later_expires_with_its_uploads() -> None:
    context = fake_context()
    chosen = upload(context, bundle="birth")
    kept = dt.timedelta(days=context.policy.draft_retention_days)

    context.clock.moment = NOW + kept  # type: ignore[attr-defined]
    assert expire_drafts(context, ExpireDrafts()) == Expired(0, 0)
    assert draft_of(context, ReadDraft("parent-1", "birth")).materials == {MOTHERS_ID: chosen.id}

    context.clock.moment = NOW + kept + dt.timedelta(days=1)  # type: ignore[attr-defined]
    assert expire_drafts(context, ExpireDrafts()) == Expired(1, 1)
    assert draft_of(context, ReadDraft("parent-1", "birth")) == Draft("parent-1", "birth")
    with context.unit_of_work() as uow:
        assert uow.uploads.get(chosen.id) is None
    entries = trail_of(context, trail("parent-1"))
    assert [(t, actor, subject) for t, actor, subject, _ in entries] == [
        (DRAFT_EXPIRED, "system", "parent-1"),
        (UPLOAD_DELETED, "system", "parent-1"),
    ]
    assert all(purpose for *_, purpose in entries)


def test_an_upload_attached_to_an_application_outlives_the_draft_retention() -> None:
    context = fake_context()
    chosen = upload(context, bundle="birth")
    submit_application(context, birth(context, materials={MOTHERS_ID: chosen.id}, from_draft=True))
    context.clock.moment = NOW + dt.timedelta(days=365)  # type: ignore[attr-defined]
    assert expire_drafts(context, ExpireDrafts()) == Expired(0, 0)
    with context.unit_of_work() as uow:
        assert uow.uploads.get(chosen.id) is not None


# Uploaded materials


def test_an_upload_is_stored_with_its_type_found_in_its_content_and_a_clean_file_name() -> None:
    context = fake_context()
    stored = upload_material(
        context,
        UploadMaterial("parent-1", "applicant:parent-1", MOTHERS_ID, "C:\\scans\\id\x00.png", "", PNG),
    )
    assert (stored.content_type, stored.size, stored.filename) == ("image/png", len(PNG), "id.png")
    assert (stored.uploaded_by, stored.created_at, stored.application_id) == ("applicant:parent-1", NOW, None)
    with context.unit_of_work() as uow:
        assert uow.uploads.content(stored.id) == PNG


def test_an_upload_over_the_size_limit_is_refused_saying_the_limit() -> None:
    context = fake_context(policy=Policy(upload_max_bytes=2048))
    with pytest.raises(TooLarge) as raised:
        upload(context, content=PDF + bytes(2048))
    assert raised.value.field == "file"
    assert "2 KB" in raised.value.message.zh
    assert "2 KB" in raised.value.message.en


@pytest.mark.parametrize(
    ("content", "declared", "said"),
    [
        (b"MZ\x90\x00 an executable", "application/pdf", "PDF, JPEG or PNG"),
        (PNG, "application/pdf", "says it is PDF but its content is PNG"),
    ],
)
def test_an_upload_whose_content_is_not_an_accepted_type_or_not_what_it_says_is_refused(
    content: bytes, declared: str, said: str
) -> None:
    context = fake_context()
    with pytest.raises(UnsupportedType) as raised:
        upload(context, content=content, declared=declared)
    assert raised.value.field == "file"
    assert said in raised.value.message.en


def test_an_empty_file_or_a_material_no_item_asks_for_is_refused() -> None:
    context = fake_context()
    with pytest.raises(Invalid) as empty:
        upload(context, content=b"")
    assert (type(empty.value), empty.value.field) == (Invalid, "file")
    with pytest.raises(Invalid) as unknown:
        upload(context, material="name:a poem")
    assert unknown.value.field == "material"


def test_a_new_upload_for_a_material_replaces_the_one_chosen_before() -> None:
    context = fake_context()
    first = upload(context, bundle="birth")
    second = upload(context, content=PNG, declared="image/png", bundle="birth")
    draft = draft_of(context, ReadDraft("parent-1", "birth"))
    assert draft.materials == {MOTHERS_ID: second.id}
    assert uploads_of_draft(context, ReadDraftUploads(draft)) == {MOTHERS_ID: second}
    with context.unit_of_work() as uow:
        assert uow.uploads.get(first.id) is None


def test_removing_the_chosen_upload_empties_the_choice_and_removing_it_again_is_not_found() -> None:
    context = fake_context()
    chosen = upload(context, bundle="birth")
    remove_upload(context, RemoveUpload("parent-1", "birth", MOTHERS_ID))
    assert draft_of(context, ReadDraft("parent-1", "birth")).materials == {}
    with context.unit_of_work() as uow:
        assert uow.uploads.get(chosen.id) is None
    with pytest.raises(NotFound) as raised:
        remove_upload(context, RemoveUpload("parent-1", "birth", MOTHERS_ID))
    assert raised.value.field == f"materials.{MOTHERS_ID}"


def test_discarded_uploads_go_but_not_another_applicants() -> None:
    context = fake_context()
    mine, theirs = upload(context), upload(context, applicant="parent-2")
    discard_uploads(context, DiscardUploads("parent-1", [mine.id, theirs.id]))
    with context.unit_of_work() as uow:
        assert uow.uploads.get(mine.id) is None
        assert uow.uploads.get(theirs.id) == theirs


def test_uploads_of_a_draft_leave_out_those_gone_meanwhile() -> None:
    context = fake_context()
    chosen = upload(context)
    draft = Draft(
        "parent-1", "birth", materials={MOTHERS_ID: chosen.id, "household_booklet:household": "gone"}
    )
    assert uploads_of_draft(context, ReadDraftUploads(draft)) == {MOTHERS_ID: chosen}


def test_the_plan_says_what_to_upload_what_to_bring_on_paper_and_what_is_still_missing() -> None:
    context = fake_context()
    birth_plan = plan_bundle(context, PlanBundle("birth", NOW.date()))
    uploadable = [m.key for m in to_upload(birth_plan)]
    assert MOTHERS_ID in uploadable
    assert "delivery_record:mother" not in uploadable  # the hospital's register has it
    assert [m.key for m in missing_uploads(birth_plan, uploadable)] == []
    assert MOTHERS_ID in [m.key for m in missing_uploads(birth_plan, [])]
    assert on_paper(birth_plan) == []


def submitted_with_mothers_id(context: Context) -> tuple[str, Upload, str]:
    """A birth application with the mother's ID card uploaded; its id, the upload and the id of
    the hospital's case."""
    chosen = upload(context)
    submitted = submit_application(context, birth(context, materials={MOTHERS_ID: chosen.id}))
    view = application_view(context, ViewApplication(PARENT, "parent-1", submitted.application_id))
    case = next(c for c in view.cases if c.item == "birth-medical-certificate")
    return submitted.application_id, chosen, case.id


def test_the_department_reads_an_uploaded_material_of_its_case_and_the_read_is_recorded() -> None:
    context = fake_context()
    application_id, chosen, case_id = submitted_with_mothers_id(context)
    shown, content = department_material(context, ReadCaseMaterial(HOSPITAL, case_id, chosen.id))
    assert (shown.id, content) == (chosen.id, PDF)
    with context.unit_of_work() as uow:
        last = uow.audit.log(application_id)[-1]
    assert (last.type, last.actor, last.subject, last.data["result"]) == (
        READ,
        "department:hospital-1",
        case_id,
        "shown",
    )
    assert "department" in (last.purpose or "")


def test_a_material_not_of_the_application_is_not_found_for_the_department_and_the_refusal_is_recorded() -> (
    None
):
    context = fake_context()
    application_id, _, case_id = submitted_with_mothers_id(context)
    elsewhere = upload(context, applicant="parent-2")
    with pytest.raises(NotFound):
        department_material(context, ReadCaseMaterial(HOSPITAL, case_id, elsewhere.id))
    assert reads_of(context, application_id)[-1] == ("department:hospital-1", "refused")


def test_another_department_cannot_read_the_uploaded_material() -> None:
    context = fake_context()
    _, chosen, case_id = submitted_with_mothers_id(context)
    police = Principal("police-1", Role.DEPARTMENT, "公安", "ruian-police")
    with pytest.raises(NotFound):
        department_material(context, ReadCaseMaterial(police, case_id, chosen.id))


def retirement_completed(context: Context) -> tuple[str, str]:
    """A retirement application whose first case completed (issuing the retirement approval);
    its id and the certificate's identifier."""
    values = form_values(context, "retirement")
    submitted = submit_application(context, SubmitApplication("retirement", "retiree-1", "k", values))
    view = application_view(context, ViewApplication(RETIREE, "retiree-1", submitted.application_id))
    first = next(c for c in view.cases if c.item == "retirement-application")
    accept_case(context, AcceptCase(first.id))
    complete_case(context, CompleteCase(first.id, {"retiree.retirement_date": "2026-03-10"}))
    (issued,) = issued_certificates(context, ListIssuedCertificates("retiree-1", submitted.application_id))
    assert (issued.case_id, issued.certificate_type) == (first.id, "retirement_approval")
    return submitted.application_id, issued.identifier


def test_the_applicant_downloads_a_certificate_the_application_issued_and_the_export_is_recorded() -> None:
    context = fake_context()
    application_id, identifier = retirement_completed(context)
    signed = application_certificate(
        context, DownloadApplicationCertificate(RETIREE, "retiree-1", application_id, identifier)
    )
    assert str(signed.certificate.identifier) == identifier
    (export,) = [e for e in trail_of(context, application_id) if e[0] == "org.yijianshi.certificate.exported"]
    assert export[1] == "applicant:retiree-1"
    assert export[3]


def test_certificates_of_another_applicants_application_are_not_found() -> None:
    context = fake_context()
    application_id, identifier = retirement_completed(context)
    with pytest.raises(NotFound):
        issued_certificates(context, ListIssuedCertificates("stranger", application_id))
    with pytest.raises(NotFound):
        application_certificate(
            context, DownloadApplicationCertificate(STRANGER, "stranger", application_id, identifier)
        )
    with pytest.raises(NotFound):
        application_certificate(
            context, DownloadApplicationCertificate(RETIREE, "retiree-1", application_id, "1.2.156.no-such")
        )


# The applicant's and the departments' reads


def test_another_applicants_application_is_not_found_and_the_refused_read_is_recorded() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    with pytest.raises(NotFound) as theirs:
        application_view(context, ViewApplication(STRANGER, "stranger", submitted.application_id))
    with pytest.raises(NotFound) as nothing:
        application_view(context, ViewApplication(STRANGER, "stranger", "no-such-application"))
    assert theirs.value.message == nothing.value.message == Text("没有这件申请", "no such application")
    assert reads_of(context, submitted.application_id) == [("applicant:stranger", "refused")]
    assert trail_of(context, "no-such-application") == []


def test_a_clerks_read_for_an_applicant_is_recorded_with_the_clerk_and_the_purpose() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    application_view(context, ViewApplication(CLERK, "parent-1", submitted.application_id))
    with context.unit_of_work() as uow:
        last = uow.audit.log(submitted.application_id)[-1]
    assert (last.type, last.actor, last.data["on_behalf_of"], last.data["result"]) == (
        READ,
        "clerk:window-1",
        "parent-1",
        "shown",
    )
    assert "clerk" in (last.purpose or "")


def test_the_version_of_an_application_is_told_only_to_its_applicant() -> None:
    context = fake_context()
    submitted = submit_application(context, birth(context))
    assert application_version(context, ReadApplicationVersion("parent-1", submitted.application_id)) == 1
    assert application_version(context, ReadApplicationVersion("stranger", submitted.application_id)) is None
    assert application_version(context, ReadApplicationVersion("parent-1", "no-such-application")) is None


def test_applications_are_listed_newest_first_and_only_the_applicants_own() -> None:
    context = fake_context()
    older = submit_application(context, birth(context, key="a"))
    context.clock.moment = NOW + dt.timedelta(hours=1)  # type: ignore[attr-defined]
    newer = submit_application(context, birth(context, key="b"))
    submit_application(context, birth(context, applicant="parent-2"))
    assert [r.id for r in applications_of(context, ListApplications("parent-1"))] == [
        newer.application_id,
        older.application_id,
    ]


def test_a_worklist_shows_the_departments_cases_by_state_and_turns_red_when_overdue() -> None:
    context = fake_context()
    values = form_values(context, "retirement")
    submitted = submit_application(context, SubmitApplication("retirement", "retiree-1", "k", values))
    (sent,) = worklist(context, ListWorklist("kunming-hrss", state="sent"))
    assert (sent.application_id, sent.case.item, sent.case.outputs) == (
        submitted.application_id,
        "retirement-application",
        {},
    )
    assert worklist(context, ListWorklist("kunming-hrss", state="accepted")) == []
    assert worklist(context, ListWorklist("ruian-hospital")) == []

    accept_case(context, AcceptCase(sent.case.id))
    context.clock.moment = NOW + dt.timedelta(days=30)  # type: ignore[attr-defined]
    (late,) = worklist(context, ListWorklist("kunming-hrss", colour=Colour.RED))
    assert late.case.state == "accepted"
    assert late.case.deadline is not None
    assert late.case.deadline < context.clock.today()
    assert worklist(context, ListWorklist("kunming-hrss", colour=Colour.GREEN)) == []


def test_a_department_sees_only_its_items_data_with_the_cases_history_and_the_read_is_recorded() -> None:
    context = fake_context()
    application_id, chosen, case_id = submitted_with_mothers_id(context)
    accept_case(context, AcceptCase(case_id))
    detail = case_detail(context, ViewCase(HOSPITAL, case_id))
    item = context.catalog.items["birth-medical-certificate"]
    with context.unit_of_work() as uow:
        data = uow.applications.get(application_id).data  # type: ignore[union-attr]
    assert set(detail.minimised.fields) == {f.key for f in item.fields} & set(data)
    assert set(data) - set(detail.minimised.fields)  # the rest of the form stays hidden
    (mothers_id,) = [m for m in detail.minimised.materials if m["key"] == MOTHERS_ID]
    assert [u["id"] for u in mothers_id["uploads"]] == [chosen.id]
    assert [e.type for e in detail.history or ()] == ["ready", "sent", "accepted"]
    assert reads_of(context, application_id)[-1] == ("department:hospital-1", "shown")


def test_another_departments_case_is_not_found_and_the_refused_read_is_recorded() -> None:
    context = fake_context()
    application_id, _, case_id = submitted_with_mothers_id(context)
    police = Principal("police-1", Role.DEPARTMENT, "公安", "ruian-police")
    with pytest.raises(NotFound):
        case_detail(context, ViewCase(police, case_id))
    assert reads_of(context, application_id)[-1] == ("department:police-1", "refused")
    with pytest.raises(NotFound):
        case_detail(context, ViewCase(police, "no-such-case"))


def test_a_receipt_gives_each_case_a_day_and_lists_what_to_bring_apart_from_what_was_uploaded() -> None:
    context = fake_context()
    application_id, _, _ = submitted_with_mothers_id(context)
    shown = receipt(context, ViewReceipt(PARENT, "parent-1", application_id))
    assert set(shown.due) == {c.id for c in shown.view.cases}
    assert all(day is not None and day >= NOW.date() for day in shown.due.values())
    assert shown.expected == frozenset(shown.due)  # nothing accepted yet: every day is expected
    assert shown.completion >= max(d for d in shown.due.values() if d is not None)
    assert [m.key for m in shown.received] == [MOTHERS_ID]
    bring = {m.key for m in shown.bring}
    assert MOTHERS_ID not in bring
    assert "resident_id_card:father" in bring
    assert "delivery_record:mother" not in bring  # a register holds it
    with pytest.raises(NotFound):
        receipt(context, ViewReceipt(STRANGER, "stranger", application_id))


# Guidance


MOTHER = "330381199001011230"


def test_guidance_without_people_plans_from_the_answers_and_reads_nothing() -> None:
    context = fake_context()
    registers = DictRegisters({MOTHER: {"mother.name": "李秀英"}})
    guided = guide(
        context,
        GuideApplicant("applicant:parent-1", "parent-1", "birth", {"mother_insurance": "none"}, {}),
        registers,
    )
    assert "maternity-benefits" not in [i.code for i in guided.plan.items]
    assert guided.values == {}
    assert registers.asked == []
    assert trail_of(context, trail("parent-1")) == []


def test_guidance_prefills_what_registers_hold_and_records_each_read_with_its_purpose() -> None:
    context = fake_context()
    registers = DictRegisters({MOTHER: {"mother.name": "李秀英", "mother.employer_name": "瑞安医院"}})
    guided = guide(
        context,
        GuideApplicant("clerk:window-1", "parent-1", "birth", {}, {"mother": f" {MOTHER} "}),
        registers,
    )
    assert guided.values["mother.name"] == "李秀英"
    assert guided.values["mother.employer_name"] == "瑞安医院"
    assert guided.values["mother.id_number"] == MOTHER
    assert [(id_number, subject) for id_number, subject, _ in registers.asked] == [(MOTHER, "mother")]
    entries = trail_of(context, trail("parent-1"))
    assert [(t, actor) for t, actor, _, _ in entries] == [(READ, "clerk:window-1"), (READ, "clerk:window-1")]
    assert all(purpose and "一件事" in purpose for *_, purpose in entries)


def test_guidance_without_prefill_asks_no_register_but_keeps_the_id_numbers_given() -> None:
    context = fake_context()
    registers = DictRegisters({MOTHER: {"mother.name": "李秀英"}})
    guided = guide(
        context,
        GuideApplicant("applicant:parent-1", "parent-1", "birth", {}, {"mother": MOTHER}, False),
        registers,
    )
    assert registers.asked == []
    assert guided.values == {"mother.id_number": MOTHER}
