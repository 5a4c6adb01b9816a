import datetime as dt

import pytest

from tests.factories import MONDAY, bundle, catalog, item, plain_calendar, yes_no
from yijianshi.domain.catalog import Register
from yijianshi.domain.errors import InvalidAnswers
from yijianshi.domain.planning import (
    DependencyCycle,
    HeldCertificate,
    Holdings,
    Source,
    build_plan,
    cycle_problems,
)

BIRTH_CERT = ("birth_certificate", "child")
HOUSEHOLD = ("household_page", "child")


def diamond():  # type: ignore[no-untyped-def]
    """A issues the birth certificate B and C need; D needs what B and C issue."""
    return catalog(
        item(
            "a",
            "hospital",
            needs=(("id_card", "mother"),),
            issues=(BIRTH_CERT,),
            days=0,
            fields=("mother.name", "child.name"),
        ),
        item(
            "b",
            "police",
            needs=(BIRTH_CERT, ("id_card", "mother")),
            issues=(HOUSEHOLD,),
            outputs=("child.id_number",),
            days=1,
            fields=("mother.name", "child.name"),
        ),
        item("c", "clinic", needs=(BIRTH_CERT,), issues=(("vaccination", "child"),), days=3, form=False),
        item(
            "d",
            "insurance",
            needs=(HOUSEHOLD, ("vaccination", "child")),
            fields=("child.id_number", "mother.phone"),
            days=2,
        ),
        bundles=(bundle("birth", "a", "b", "c", "d"),),
    )


def plan(cat, answers=None, holdings=None, code="birth"):  # type: ignore[no-untyped-def]
    return build_plan(cat, cat.bundles[code], answers or {}, holdings or Holdings(), plain_calendar(), MONDAY)


def test_dependencies_come_from_what_items_need_and_output() -> None:
    result = plan(diamond())
    depends = {i.code: i.depends_on for i in result.items}
    assert depends == {"a": (), "b": ("a",), "c": ("a",), "d": ("b", "c")}


def test_items_without_mutual_dependencies_share_a_stage() -> None:
    assert plan(diamond()).stages == (("a",), ("b", "c"), ("d",))


def test_the_critical_path_follows_the_longest_chain_in_working_days() -> None:
    result = plan(diamond())
    assert result.critical_path == ("a", "c", "d")
    assert result.completion.working_days == 5
    assert result.completion.date == dt.date(2026, 3, 9)  # Monday + 5 working days


def test_material_produced_upstream_is_not_requested() -> None:
    materials = {(m.certificate, m.subject): m for m in plan(diamond()).materials}
    assert materials[BIRTH_CERT].source is Source.UPSTREAM
    assert materials[BIRTH_CERT].ref == "a"
    assert materials[BIRTH_CERT].items == ("b", "c")
    assert materials[("id_card", "mother")].source is Source.APPLICANT


def test_materials_needed_by_several_items_are_asked_once() -> None:
    result = plan(diamond())
    assert result.before.materials == 6
    assert result.after.materials == 1


def test_a_held_valid_certificate_satisfies_its_material() -> None:
    holdings = Holdings((HeldCertificate("id_card", "mother", valid_until=dt.date(2030, 1, 1)),))
    materials = {(m.certificate, m.subject): m for m in plan(diamond(), holdings=holdings).materials}
    assert materials[("id_card", "mother")].source is Source.CERTIFICATE
    assert plan(diamond(), holdings=holdings).after.materials == 0


@pytest.mark.parametrize(
    "held",
    [
        HeldCertificate("id_card", "mother", status="revoked"),
        HeldCertificate("id_card", "mother", valid_until=dt.date(2026, 3, 1)),
        HeldCertificate("id_card", "father"),
    ],
)
def test_an_invalid_expired_or_someone_elses_certificate_does_not_count(held: HeldCertificate) -> None:
    materials = {(m.certificate, m.subject): m for m in plan(diamond(), holdings=Holdings((held,))).materials}
    assert materials[("id_card", "mother")].source is Source.APPLICANT


def test_a_register_that_holds_a_certificate_type_resolves_it() -> None:
    cat = diamond()
    cat.registers["ids"] = Register("ids", cat.departments["d1"].name, "d1", ("id_card",))
    cat.__dict__.pop("register_for_certificate", None)
    materials = {(m.certificate, m.subject): m for m in plan(cat).materials}
    assert materials[("id_card", "mother")].source is Source.REGISTER
    assert materials[("id_card", "mother")].ref == "ids"


def test_the_merged_form_lists_each_data_element_once_with_its_items() -> None:
    fields = {f.key: f for f in plan(diamond()).fields}
    assert list(fields) == ["mother.name", "child.name", "child.id_number", "mother.phone"]
    assert fields["mother.name"].items == ("a", "b")
    assert fields["child.id_number"].prefill is not None
    assert fields["child.id_number"].prefill.source is Source.UPSTREAM
    assert fields["mother.phone"].prefill is None


def test_a_held_certificate_prefills_the_fields_it_carries() -> None:
    holdings = Holdings((HeldCertificate("id_card", "mother"),))
    fields = {f.key: f for f in plan(diamond(), holdings=holdings).fields}
    assert fields["mother.name"].prefill is not None
    assert fields["mother.name"].prefill.source is Source.CERTIFICATE
    assert fields["child.name"].prefill is None


def test_savings_compare_item_by_item_with_the_bundle() -> None:
    result = plan(diamond())
    assert (
        result.before.forms,
        result.before.fields,
        result.before.departments,
        result.before.trips,
        result.before.working_days,
    ) == (3, 6, 4, 4, 6)
    assert (result.after.forms, result.after.fields, result.after.departments, result.after.working_days) == (
        1,
        3,
        1,
        5,
    )


def test_a_bundle_plan_without_answers_takes_every_default() -> None:
    cat = diamond()
    cat.bundles["birth"] = bundle("birth", "a", ("c", "vaccinate = 'yes'"), questions=(yes_no("vaccinate"),))
    assert [i.code for i in plan(cat).items] == ["a", "c"]
    assert [i.code for i in plan(cat, {"vaccinate": "no"}).items] == ["a"]
    assert plan(cat, {"vaccinate": "no"}).skipped == ("c",)


def test_answers_naming_unknown_questions_or_options_are_refused() -> None:
    cat = diamond()
    cat.bundles["birth"] = bundle("birth", "a", questions=(yes_no("vaccinate"),))
    with pytest.raises(InvalidAnswers) as caught:
        plan(cat, {"vaccinate": "maybe", "colour": "red"})
    assert len(caught.value.problems) == 2


def test_items_that_need_each_others_outputs_are_a_cycle() -> None:
    cat = catalog(
        item("x", issues=(("p", "applicant"),), needs=(("q", "applicant"),)),
        item("y", issues=(("q", "applicant"),), needs=(("p", "applicant"),)),
        bundles=(bundle("loop", "x", "y"),),
    )
    with pytest.raises(DependencyCycle, match=r"x -> y -> x|y -> x -> y"):
        plan(cat, code="loop")
    assert "cycle" in cycle_problems(cat)[0].message.en


def test_an_item_left_out_by_the_answers_is_not_upstream() -> None:
    cat = diamond()
    cat.bundles["birth"] = bundle("birth", ("a", "hospital = 'yes'"), "b", questions=(yes_no("hospital"),))
    materials = {(m.certificate, m.subject): m for m in plan(cat, {"hospital": "no"}).materials}
    assert materials[BIRTH_CERT].source is Source.APPLICANT
