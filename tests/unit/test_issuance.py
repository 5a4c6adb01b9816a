import datetime as dt

from tests.factories import MONDAY, bundle, catalog, item, plain_calendar
from yijianshi.domain.cases import Application, open_application
from yijianshi.domain.certificates import HolderCodeType
from yijianshi.domain.identifiers import credit_code_problem
from yijianshi.domain.issuance import due_certificates, holder_of, stand_in_credit_code
from yijianshi.domain.planning import Holdings, build_plan

NOW = dt.datetime(2026, 3, 2, 10, tzinfo=dt.timezone(dt.timedelta(hours=8)))
CHILD_ID = "330381202603020016"
# a hospital certifies the birth (before the child has an ID number), the police register it
BIRTH = catalog(
    item("certify", "hospital", issues=(("birth_medical_certificate", "child"),), fields=("child.name",)),
    item(
        "register",
        "police",
        needs=(("birth_medical_certificate", "child"),),
        issues=(("household_register_page", "child"),),
        outputs=("child.id_number",),
    ),
    bundles=(bundle("birth", "certify", "register"),),
)


def application() -> Application:
    plan = build_plan(BIRTH, BIRTH.bundles["birth"], {}, Holdings(), plain_calendar(), MONDAY)
    app = open_application(
        plan, "app-1", "parent", {"child.name": "张子涵"}, {"certify": "case-1", "register": "case-2"}
    )
    app.start(NOW)
    return app


def complete(app: Application, case_id: str, outputs: dict[str, str]) -> None:
    """Complete a case in a fresh unit of work: only its own events are pending."""
    for each in app.cases.values():
        each.events.clear()
    case = app.case(case_id)
    case.dispatch(NOW)
    case.accept(NOW)
    app.complete_case(case_id, outputs, NOW)


def test_a_certificate_waits_until_its_holder_has_an_identifier() -> None:
    app = application()
    complete(app, "case-1", {})
    assert due_certificates(BIRTH, app) == []
    complete(app, "case-2", {"child.id_number": CHILD_ID})
    due = due_certificates(BIRTH, app)
    assert {i.certificate.certificate_type for i in due} == {
        "birth_medical_certificate",
        "household_register_page",
    }
    assert {i.certificate.holder.code for i in due} == {CHILD_ID}
    assert {i.certificate.holder_name for i in due} == {"张子涵"}
    assert {i.case_id for i in due} == {"case-1", "case-2"}
    assert all(i.certificate.issue_date == MONDAY and i.certificate.valid_until is None for i in due)


def test_issuing_again_gives_the_same_identifiers() -> None:
    app = application()
    complete(app, "case-1", {})
    complete(app, "case-2", {"child.id_number": CHILD_ID})
    first = [str(i.certificate.identifier) for i in due_certificates(BIRTH, app)]
    assert [str(i.certificate.identifier) for i in due_certificates(BIRTH, app)] == first
    assert len(set(first)) == 2


def test_a_holder_is_named_by_id_number_or_credit_code() -> None:
    assert holder_of({"child.id_number": CHILD_ID}, "child").code_type is HolderCodeType.RESIDENT_ID
    shop = holder_of({"enterprise.credit_code": "91350100M000100Y43"}, "enterprise")
    assert shop is not None
    assert shop.code_type is HolderCodeType.CREDIT_CODE
    assert holder_of({"child.id_number": "330381202603020015"}, "child") is None
    assert holder_of({}, "couple") is None


def test_stand_in_credit_codes_are_stable_and_pass_their_check() -> None:
    code = stand_in_credit_code("330381", "ruian-psb")
    assert code == stand_in_credit_code("330381", "ruian-psb")
    assert code != stand_in_credit_code("330381", "ruian-hospital")
    assert code.startswith("11330381")
    assert credit_code_problem(code) is None
