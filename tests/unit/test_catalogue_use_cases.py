"""The catalogue area's use cases (services/catalogue) without files: checking a catalogue a
source has read (a fake CatalogSource stands for the YAML files, locating each object at a file
and line), loading only a usable one, and planning a bundle. The spreadsheet import is tested on
real files in tests/integration/test_catalog_import.py."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from tests.fakes import NOW, fake_context, sample_calendar, sample_catalog
from yijianshi.domain.bundles import BundleItem
from yijianshi.domain.catalog import Catalog, Ref
from yijianshi.domain.errors import CalendarOutOfRange, InvalidAnswers, UnknownBundle
from yijianshi.domain.planning import Holdings
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.checking import check_catalog, load_valid_catalog
from yijianshi.services.catalogue.ports import InputFileError, LoadedCatalog
from yijianshi.services.planning import PlanBundle, PlanCache, build_bundle_plan, plan_bundle

# Where the fake source says each part of the birth bundle's file is.
LINES = {("lead_department",): 11, ("items", 1, "item"): 43}


def locate(ref: Ref) -> Line:
    """The file of an object (`bundles/birth.yaml`) and the line of the part a Ref names."""
    return Line(f"{ref.kind}s/{ref.code}.yaml", LINES.get(ref.path, 1))


class FakeSource:
    """A CatalogSource handing out one catalogue as read, with what its reader found wrong."""

    def __init__(
        self,
        catalog: Catalog,
        findings: tuple[Problem[Line], ...] = (),
        unreadable: frozenset[tuple[str, str]] = frozenset(),
    ) -> None:
        self.loaded = LoadedCatalog(catalog, findings, locate, unreadable)
        self.locations: list[str] = []

    def load(self, location: str) -> LoadedCatalog:
        self.locations.append(location)
        return self.loaded


def broken_birth(*missing_items: str, lead_department: str = "ruian-health") -> Catalog:
    """The sample catalogue without `missing_items` (the birth bundle still names them) and with
    the birth bundle led by `lead_department`."""
    catalog = sample_catalog()
    birth = dataclasses.replace(catalog.bundles["birth"], lead_department=lead_department)
    return dataclasses.replace(
        catalog,
        items={code: item for code, item in catalog.items.items() if code not in missing_items},
        bundles={**catalog.bundles, "birth": birth},
    )


# Checking


def test_a_good_catalogue_checks_without_findings_and_is_counted() -> None:
    source = FakeSource(sample_catalog())
    report = check_catalog(source, "catalogue-dir")
    assert report.findings == ()
    assert (report.items, report.bundles) == (len(sample_catalog().items), 5)
    assert source.locations == ["catalogue-dir"]


def test_a_bad_catalogue_is_reported_by_file_and_line_in_order() -> None:
    catalog = broken_birth("vaccination-certificate", lead_department="nowhere")
    report = check_catalog(FakeSource(catalog), "catalogue-dir")
    assert [str(f) for f in report.findings] == [
        "bundles/birth.yaml:11: unknown department 'nowhere'",
        "bundles/birth.yaml:43: unknown item 'vaccination-certificate'",
    ]
    assert report.errors == report.findings


def test_what_the_reader_found_is_reported_with_the_rest_once_and_warnings_are_not_errors() -> None:
    syntax = Problem(
        Line("items/gas-connection.yaml", 3), untranslated("mapping values are not allowed here")
    )
    advice = Problem(Line("departments.yaml", 7), untranslated("credit code check character"), warning=True)
    catalog = broken_birth(lead_department="nowhere")
    report = check_catalog(FakeSource(catalog, (syntax, advice, syntax)), "catalogue-dir")
    assert report.findings == (
        Problem(
            Line("bundles/birth.yaml", 11),
            untranslated("unknown department 'nowhere'"),
            refers_to=("department", "nowhere"),
        ),
        advice,
        syntax,
    )
    assert advice not in report.errors
    assert str(advice) == "departments.yaml:7: warning: credit code check character"


def test_an_object_whose_file_was_unreadable_is_not_reported_again_where_it_is_named() -> None:
    unreadable = Problem(Line("items/vaccination-certificate.yaml", 1), untranslated("not a mapping"))
    catalog = broken_birth("vaccination-certificate")
    source = FakeSource(catalog, (unreadable,), frozenset({("item", "vaccination-certificate")}))
    assert check_catalog(source, "catalogue-dir").findings == (unreadable,)


def test_a_catalogue_with_only_warnings_is_used() -> None:
    advice = Problem(Line("departments.yaml", 7), untranslated("credit code check character"), warning=True)
    assert load_valid_catalog(FakeSource(sample_catalog(), (advice,)), "dir") is sample_catalog()


def test_a_catalogue_with_errors_is_not_used_and_every_error_is_located() -> None:
    catalog = broken_birth("vaccination-certificate", lead_department="nowhere")
    with pytest.raises(InputFileError) as raised:
        load_valid_catalog(FakeSource(catalog), "dir")
    error = raised.value
    assert [f.where.file for f in error.findings] == ["bundles/birth.yaml", "bundles/birth.yaml"]
    assert [str(p.where) for p in error.problems] == [str(f.where) for f in error.findings]
    assert "bundles/birth.yaml:11: unknown department 'nowhere'" in error.message.en
    assert error.message.zh.startswith("输入文件无法使用")


# Planning


def test_a_plan_lists_the_items_the_answers_choose() -> None:
    context = fake_context()
    plan = plan_bundle(context, PlanBundle("birth", NOW.date(), {"hukou_local": "no"}))
    assert [i.code for i in plan.items] == [
        "birth-medical-certificate",
        "vaccination-certificate",
        "social-security-card",
        "maternity-benefits",
    ]
    assert plan.start == NOW.date()
    assert plan.completion.date >= NOW.date()


def test_an_unknown_bundle_is_refused_naming_every_bundle_there_is() -> None:
    with pytest.raises(UnknownBundle) as raised:
        plan_bundle(fake_context(), PlanBundle("wedding", NOW.date()))
    assert str(raised.value) == (
        "no bundle 'wedding'; known bundles: birth, death, restaurant, retirement, utilities"
    )


def test_answers_to_unknown_questions_or_with_unknown_options_are_refused() -> None:
    context = fake_context()
    with pytest.raises(InvalidAnswers) as raised:
        plan_bundle(context, PlanBundle("birth", NOW.date(), {"pets": "yes", "hukou_local": "maybe"}))
    assert len(raised.value.problems) == 2


def test_a_day_beyond_every_known_working_day_schedule_is_refused() -> None:
    with pytest.raises(CalendarOutOfRange):
        plan_bundle(fake_context(), PlanBundle("birth", dt.date(2200, 1, 1)))


def test_applicants_with_the_same_answers_share_one_plan_whatever_the_order_of_the_answers() -> None:
    context = fake_context()
    one = plan_bundle(
        context, PlanBundle("birth", NOW.date(), {"hukou_local": "no", "social_security_card": "no"})
    )
    two = plan_bundle(
        context, PlanBundle("birth", NOW.date(), {"social_security_card": "no", "hukou_local": "no"})
    )
    assert one is two
    tomorrow = plan_bundle(
        context, PlanBundle("birth", NOW.date() + dt.timedelta(days=1), {"hukou_local": "no"})
    )
    assert tomorrow.start != one.start


def test_a_plan_of_another_catalogue_is_made_without_the_deployments_cache() -> None:
    catalog = sample_catalog()
    only_first = dataclasses.replace(
        catalog.bundles["birth"], questions=(), items=(BundleItem("birth-medical-certificate"),)
    )
    other = dataclasses.replace(catalog, bundles={"birth": only_first})
    plan = build_bundle_plan(other, sample_calendar(), PlanBundle("birth", NOW.date(), {}, Holdings()))
    assert [i.code for i in plan.items] == ["birth-medical-certificate"]
    assert PlanCache(other, sample_calendar()).plan(PlanBundle("birth", NOW.date())).items == plan.items
    with pytest.raises(UnknownBundle, match=r"known bundles: birth$"):
        build_bundle_plan(other, sample_calendar(), PlanBundle("death", NOW.date()))
