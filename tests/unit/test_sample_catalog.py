"""The shipped sample catalogue: it checks cleanly and its figures emerge from the item data."""

from __future__ import annotations

import datetime as dt

import pytest

from yijianshi.bootstrap import Container, bootstrap
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.planning import HeldCertificate, Holdings, Plan, PlannedItem, Source
from yijianshi.services.catalogue.checking import check_catalog, load_valid_catalog
from yijianshi.services.planning import PlanBundle, build_bundle_plan
from yijianshi.settings import sample_catalog_dir

START = dt.date(2026, 3, 2)
SAMPLE = str(sample_catalog_dir())

BROUGHT_BY_PARENTS = {
    ("resident_id_card", "father"),
    ("resident_id_card", "mother"),
    ("household_booklet", "household"),
    ("marriage_certificate", "couple"),
    ("birth_registration_record", "couple"),
}


@pytest.fixture(scope="module")
def context() -> Container:
    return bootstrap()


@pytest.fixture(scope="module")
def catalog(context: Container) -> Catalog:
    return load_valid_catalog(context.catalog_source, SAMPLE)


def plan(
    context: Container,
    catalog: Catalog,
    bundle: str,
    answers: dict[str, str] | None = None,
    holdings: Holdings | None = None,
) -> Plan:
    command = PlanBundle(bundle, START, answers or {}, holdings or Holdings())
    return build_bundle_plan(catalog, context.calendar, command)


def applicant_materials(result: Plan) -> set[tuple[str | None, str]]:
    return {(m.certificate, m.subject) for m in result.materials if m.source is Source.APPLICANT}


def item(result: Plan, code: str) -> PlannedItem:
    return next(planned for planned in result.items if planned.code == code)


def test_the_sample_catalogue_checks_without_errors(context: Container) -> None:
    report = check_catalog(context.catalog_source, SAMPLE)

    assert report.errors == ()
    assert report.bundles == 5


def test_the_sample_catalogue_ships_the_five_bundles(catalog: Catalog) -> None:
    assert set(catalog.bundles) == {"birth", "retirement", "death", "restaurant", "utilities"}


def test_the_default_birth_plan_reproduces_the_ruian_before_figures(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "birth")

    assert len(result.items) == 7
    assert result.before.forms == 5
    assert result.before.materials == 24
    assert result.before.departments == 6


def test_after_the_reform_the_parents_fill_one_form_and_bring_only_the_five_documents(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "birth")

    assert result.after.forms == 1
    assert result.after.materials == 5
    assert applicant_materials(result) == BROUGHT_BY_PARENTS
    assert result.after.trips == 0


def test_holding_the_parents_e_certificates_leaves_no_material_to_bring(
    context: Container, catalog: Catalog
) -> None:
    holdings = Holdings(
        tuple(HeldCertificate(certificate, subject) for certificate, subject in sorted(BROUGHT_BY_PARENTS))
    )

    result = plan(context, catalog, "birth", holdings=holdings)

    assert applicant_materials(result) == set()
    assert result.after.materials == 0
    sources = {(m.certificate, m.subject): m.source for m in result.materials}
    assert {identity: sources[identity] for identity in BROUGHT_BY_PARENTS} == dict.fromkeys(
        BROUGHT_BY_PARENTS, Source.CERTIFICATE
    )


@pytest.mark.parametrize(
    "mothers_card",
    [
        HeldCertificate("resident_id_card", "mother", status="revoked"),
        HeldCertificate("resident_id_card", "mother", status="expired"),
        HeldCertificate("resident_id_card", "mother", valid_until=START - dt.timedelta(days=1)),
    ],
    ids=["revoked", "expired status", "validity ended before the start"],
)
def test_a_held_certificate_that_is_not_valid_does_not_replace_the_material(
    context: Container, catalog: Catalog, mothers_card: HeldCertificate
) -> None:
    result = plan(context, catalog, "birth", holdings=Holdings((mothers_card,)))

    assert ("resident_id_card", "mother") in applicant_materials(result)
    assert result.after.materials == 5


def test_the_childs_birth_medical_certificate_comes_upstream_to_every_later_item(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "birth")

    [certificate] = [
        m for m in result.materials if (m.certificate, m.subject) == ("birth_medical_certificate", "child")
    ]
    assert certificate.source is Source.UPSTREAM
    assert certificate.ref == "birth-medical-certificate"
    assert set(certificate.items) == {
        "vaccination-certificate",
        "birth-household-registration",
        "resident-medical-insurance-enrolment",
        "social-security-card",
        "maternity-benefits",
    }


def test_household_registration_waits_for_the_birth_medical_certificate(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "birth")

    registration = item(result, "birth-household-registration")
    assert "birth-medical-certificate" in registration.depends_on
    assert registration.stage > item(result, "birth-medical-certificate").stage


def test_a_mother_without_employee_insurance_gets_no_maternity_item(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "birth", answers={"mother_insurance": "resident"})

    codes = [planned.code for planned in result.items]
    assert "maternity-benefits" not in codes
    assert "maternity-benefits" in result.skipped
    assert len(codes) == 6


def test_the_food_licence_waits_for_the_business_licence_while_signboard_and_fire_start_at_once(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "restaurant")

    assert item(result, "food-business-licence").depends_on == ("business-licence",)
    assert item(result, "outdoor-signboard").stage == 1
    assert item(result, "fire-safety-inspection").stage == 1
    assert set(result.stages[0]) == {"business-licence", "outdoor-signboard", "fire-safety-inspection"}


def test_the_four_utility_connections_run_in_one_parallel_stage(context: Container, catalog: Catalog) -> None:
    result = plan(context, catalog, "utilities")

    assert len(result.stages) == 1
    assert len(result.stages[0]) == 4


def test_the_retirement_plan_asks_the_retiree_for_one_material(context: Container, catalog: Catalog) -> None:
    result = plan(context, catalog, "retirement")

    assert applicant_materials(result) == {("resident_id_card", "retiree")}


def test_social_insurance_ends_after_the_household_registration_is_cancelled(
    context: Container, catalog: Catalog
) -> None:
    result = plan(context, catalog, "death")

    assert item(result, "social-insurance-termination").depends_on == ("death-household-cancellation",)
    assert item(result, "death-household-cancellation").depends_on == ("death-medical-certificate",)


@pytest.mark.parametrize("bundle", ["birth", "retirement", "death", "restaurant", "utilities"])
def test_every_bundle_plans_with_its_default_answers(
    context: Container, catalog: Catalog, bundle: str
) -> None:
    result = plan(context, catalog, bundle)

    assert result.items
    assert result.skipped == ()
    assert result.completion.date >= START
