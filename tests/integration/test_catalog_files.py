"""Catalogue files: every problem is reported as file:line with what is wrong."""

import shutil
from pathlib import Path

import pytest

from yijianshi.adapters.catalog_files.json_schema import SCHEMA_DIR, schemas
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.services.catalogue.checking import check_catalog, load_valid_catalog
from yijianshi.services.catalogue.ports import InputFileError

MINI = Path(__file__).parents[1] / "fixtures" / "mini_catalog"


@pytest.fixture
def mini(tmp_path: Path) -> Path:
    target = tmp_path / "catalog"
    shutil.copytree(MINI, target)
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def problems(directory: Path) -> list[str]:
    report = check_catalog(FileCatalogSource(), str(directory))
    return [
        f"{Path(f.where.file).relative_to(directory)}:{f.where.line}: {f.message.en}" for f in report.errors
    ]


def test_the_fixture_catalogue_has_no_problems(mini: Path) -> None:
    assert problems(mini) == []


@pytest.mark.parametrize(
    ("file", "old", "new", "expected"),
    [
        (
            "items/household.yaml",
            "promised_days: 1",
            "promised_days: [1",
            "items/household.yaml:15: YAML syntax",
        ),
        (
            "items/household.yaml",
            "promised_days: 1",
            "promised_dayz: 1",
            "items/household.yaml:14: promised_dayz: unknown key",
        ),
        (
            "items/household.yaml",
            "department: police",
            "department: fire",
            "items/household.yaml:3: unknown department 'fire'",
        ),
        (
            "items/household.yaml",
            "  - child.name",
            "  - child.nickname",
            "items/household.yaml:6: field 'child.nickname' is not in the data dictionary",
        ),
        (
            "items/household.yaml",
            "    subject: child",
            "    subject: child\n    necessity: maybe",
            "items/household.yaml:13: materials[0].necessity: "
            "Input should be 'required', 'optional' or 'later'",
        ),
        (
            "items/household.yaml",
            "certificate: birth_medical_certificate",
            "certificate: passport",
            "items/household.yaml:11: unknown certificate type 'passport'",
        ),
        (
            "items/household.yaml",
            "statutory_days: 20",
            "statutory_days: -3",
            "items/household.yaml:15: statutory_days: Input should be greater than or equal to 0",
        ),
        (
            "departments.yaml",
            'region: "330381"',
            'region: "33038"',
            "departments.yaml:4: region '33038' must be a 6-digit GB/T 2260 area code",
        ),
        (
            "departments.yaml",
            "{zh: 瑞安市公安局, en: Ruian Public Security Bureau}",
            "{zh: 瑞安市公安局}",
            "departments.yaml:6: name.en: Field required",
        ),
        (
            "bundles/birth.yaml",
            "when: register_here = 'yes'",
            "when: register_where = 'yes'",
            "bundles/birth.yaml:14: rule names unknown question 'register_where' (questions: register_here)",
        ),
        (
            "bundles/birth.yaml",
            "when: register_here = 'yes'",
            "when: register_here = 'maybe'",
            "bundles/birth.yaml:14: rule compares 'register_here' with 'maybe', which is not one of its "
            "options (yes, no)",
        ),
        (
            "bundles/birth.yaml",
            "when: register_here = 'yes'",
            "when: register_here == 'yes'",
            "bundles/birth.yaml:14: items[1].when: rule \"register_here == 'yes'\": expected a value, "
            "found '=' at character 16",
        ),
        (
            "bundles/birth.yaml",
            "  - birth-certificate",
            "  - birth-cert",
            "bundles/birth.yaml:12: unknown item 'birth-cert'",
        ),
        (
            "bundles/birth.yaml",
            'default: "yes"',
            'default: "perhaps"',
            "bundles/birth.yaml:10: default 'perhaps' of question 'register_here' is not one of its options"
            " (yes, no)",
        ),
    ],
)
def test_each_kind_of_mistake_is_one_line_with_file_and_line(
    mini: Path, file: str, old: str, new: str, expected: str
) -> None:
    edit(mini / file, old, new)
    found = problems(mini)
    assert len(found) == 1, found
    assert found[0].startswith(expected), found


def test_a_certificate_no_item_issues_and_no_register_holds_is_reported(mini: Path) -> None:
    edit(mini / "registers.yaml", "certificates: [resident_id_card]", "certificates: []")
    assert problems(mini) == [
        "items/birth-certificate.yaml:10: needs certificate 'resident_id_card', which no item "
        "issues and no register holds"
    ]


def test_items_that_need_each_others_outputs_are_reported_as_a_cycle(mini: Path) -> None:
    edit(
        mini / "items/birth-certificate.yaml",
        "certificate: resident_id_card\n    subject: mother",
        "certificate: birth_medical_certificate\n    subject: child",
    )
    edit(
        mini / "items/birth-certificate.yaml",
        "issues:\n  - certificate: birth_medical_certificate",
        "outputs: [child.id_number]\nissues:\n  - certificate: resident_id_card",
    )
    edit(
        mini / "items/household.yaml",
        "certificate: birth_medical_certificate",
        "certificate: resident_id_card",
    )
    edit(
        mini / "items/household.yaml",
        "outputs: [child.id_number]",
        "issues: [{certificate: birth_medical_certificate, subject: child}]",
    )
    found = problems(mini)
    cycles = [p for p in found if "bundles/birth.yaml" in p and "cycle: " in p]
    assert cycles, found
    assert "birth-certificate" in cycles[0]


def test_an_item_defined_twice_names_the_first_definition(mini: Path) -> None:
    shutil.copy(mini / "items/household.yaml", mini / "items/household-copy.yaml")
    assert problems(mini) == [
        "items/household.yaml:1: item 'household' is defined twice "
        f"(first at {mini / 'items/household-copy.yaml'}:1)"
    ]


def test_a_file_that_is_not_a_mapping_is_refused(mini: Path) -> None:
    (mini / "items/household.yaml").write_text("- just\n- a list\n", encoding="utf-8")
    assert problems(mini)[0].startswith("items/household.yaml:1: must be a YAML mapping")


def test_a_directory_that_is_no_catalogue_is_refused(tmp_path: Path) -> None:
    with pytest.raises(InputFileError, match="not a catalogue directory"):
        check_catalog(FileCatalogSource(), str(tmp_path))
    with pytest.raises(InputFileError, match="not a directory"):
        check_catalog(FileCatalogSource(), str(tmp_path / "missing"))


def test_a_catalogue_with_errors_is_not_used_for_planning(mini: Path) -> None:
    edit(mini / "items/household.yaml", "department: police", "department: fire")
    with pytest.raises(InputFileError) as caught:
        load_valid_catalog(FileCatalogSource(), str(mini))
    assert "unknown department 'fire'" in str(caught.value)


def test_the_committed_json_schema_is_up_to_date() -> None:
    committed = {p.name: p.read_text(encoding="utf-8") for p in SCHEMA_DIR.glob("*.schema.json")}
    assert committed == schemas(), "run `make schema` and commit the result"
