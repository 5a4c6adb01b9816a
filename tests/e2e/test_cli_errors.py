"""Bad input through the real command: one clear line per problem, exit code 2, no traceback."""

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

MINI = Path(__file__).parents[1] / "fixtures" / "mini_catalog"
YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")


def run(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [YIJIANSHI, *args], capture_output=True, text=True, cwd=cwd, timeout=60, check=False
    )


def assert_refused(result: subprocess.CompletedProcess[str], *expected: str) -> None:
    assert result.returncode == 2, result
    assert "Traceback" not in result.stderr + result.stdout
    for text in expected:
        assert text in result.stderr, result.stderr


def test_catalog_check_prints_each_problem_as_file_line_and_exits_2(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    item = catalog / "items" / "household.yaml"
    item.write_text(
        item.read_text(encoding="utf-8")
        .replace("department: police", "department: fire")
        .replace("promised_days: 1", "promised_days: soon"),
        encoding="utf-8",
    )
    result = run("catalog", "check", str(catalog))
    assert_refused(result)
    lines = result.stderr.strip().splitlines()
    # the unreadable item is reported once; the bundle naming it is not blamed as well
    assert lines == [
        f"{catalog}/items/household.yaml:14: promised_days: Input should be a valid integer, unable "
        "to parse string as an integer",
        f"1 error(s) in {catalog}",
    ]


def test_catalog_check_of_a_good_catalogue_exits_0() -> None:
    result = run("catalog", "check", str(MINI))
    assert result.returncode == 0, result.stderr
    assert "2 items, 1 bundles, no errors" in result.stdout


def test_catalog_check_of_a_missing_directory_is_one_line() -> None:
    assert_refused(run("catalog", "check", "no/such/dir"), "no/such/dir:1: not a directory")


def test_planning_an_unknown_bundle_lists_the_known_ones() -> None:
    assert_refused(
        run("plan", "wedding", "--catalog", str(MINI)), "no bundle 'wedding'; known bundles: birth"
    )


def test_a_start_date_that_is_no_date_says_how_to_write_it() -> None:
    assert_refused(
        run("plan", "birth", "--catalog", str(MINI), "--start", "2026-02-30"),
        "--start: '2026-02-30' is not a date; write it YYYY-MM-DD",
    )


def test_answers_naming_unknown_questions_and_options_are_all_reported(tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("register_here: maybe\nfavourite_colour: red\n", encoding="utf-8")
    assert_refused(
        run("plan", "birth", "--catalog", str(MINI), "--answers", str(answers)),
        "answers: question 'register_here' has no option 'maybe' (options: yes, no)",
        "answers: bundle 'birth' has no question 'favourite_colour'",
    )


def test_a_holdings_file_with_a_bad_date_names_its_line(tmp_path: Path) -> None:
    holdings = tmp_path / "holdings.yaml"
    holdings.write_text(
        "certificates:\n  - certificate: resident_id_card\n    subject: mother\n"
        "    valid_until: 2031-02-30\n",
        encoding="utf-8",
    )
    assert_refused(
        run("plan", "birth", "--catalog", str(MINI), "--holdings", str(holdings)),
        f"{holdings}:4: certificates[0].valid_until: Input should be a valid date",
    )


def test_a_missing_answers_file_is_one_line() -> None:
    assert_refused(
        run("plan", "birth", "--catalog", str(MINI), "--answers", "nowhere.yaml"),
        "nowhere.yaml:1: cannot be read: No such file or directory",
    )


def test_planning_from_a_catalogue_with_errors_is_refused_with_its_problems(tmp_path: Path) -> None:
    catalog = tmp_path / "catalog"
    shutil.copytree(MINI, catalog)
    (catalog / "bundles" / "birth.yaml").write_text("code: birth\n", encoding="utf-8")
    assert_refused(
        run("plan", "birth", "--catalog", str(catalog)), "bundles/birth.yaml:1: name: Field required"
    )


@pytest.mark.parametrize("fmt", ["json", "table", "mermaid", "bpmn"])
def test_every_format_plans_with_held_certificates(tmp_path: Path, fmt: str) -> None:
    holdings = tmp_path / "holdings.yaml"
    holdings.write_text(
        "certificates:\n  - {certificate: resident_id_card, subject: mother}\n", encoding="utf-8"
    )
    result = run(
        "plan",
        "birth",
        "--catalog",
        str(MINI),
        "--holdings",
        str(holdings),
        "--start",
        "2026-09-30",
        "--format",
        fmt,
    )
    assert result.returncode == 0, result.stderr
    if fmt == "json":
        plan = json.loads(result.stdout)
        assert plan["completion"] == {"working_days": 1, "date": "2026-10-08", "provisional": False}
        assert {m["source"] for m in plan["materials"]} == {"certificate", "upstream"}
