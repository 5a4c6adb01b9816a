"""`yijianshi simulate` through the real command, on SQLite and PostgreSQL."""

import json
import sqlite3
import subprocess
import sys
from functools import partial
from pathlib import Path

import pytest

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.engine import open_database
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context
from yijianshi.services.delivery.dispatching import DeliverDue, deliver_pending

YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [YIJIANSHI, *args], capture_output=True, text=True, cwd=cwd, timeout=300, check=False
    )


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_simulated_applications_all_complete_with_none_lost_or_duplicated(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'sim.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    result = run(
        "simulate",
        "--bundle",
        "birth",
        "--applications",
        "20",
        "--database",
        url,
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["submitted"] == 20
    assert report["completed"] == 20
    assert report["lost"] == 0
    assert report["duplicates"] == 0
    assert report["applications_per_s"] > 0


def test_the_default_database_is_a_file_in_the_working_directory(tmp_path: Path) -> None:
    result = run("simulate", "--bundle", "death", "--applications", "3", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "completed" in result.stdout
    assert (tmp_path / "yijianshi.sqlite3").is_file()


def test_simulated_departments_keep_their_inbox_in_a_sqlite_file_of_their_own(tmp_path: Path) -> None:
    result = run(
        "simulate",
        "--bundle",
        "birth",
        "--applications",
        "4",
        "--database",
        f"sqlite:///{tmp_path / 'sim.sqlite3'}",
        "--format",
        "json",
        cwd=tmp_path,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["completed"] == 4
    with sqlite3.connect(tmp_path / "sim-departments.sqlite3") as departments:
        received = departments.execute("SELECT count(DISTINCT case_id) FROM simulated_inbox").fetchone()
    with sqlite3.connect(tmp_path / "sim.sqlite3") as platform:
        dispatched = platform.execute("SELECT count(*) FROM outbox WHERE delivered_at IS NOT NULL").fetchone()
        in_platform_file = platform.execute("SELECT count(*) FROM simulated_inbox").fetchone()
    assert received == dispatched == (4 * 7,)  # every case of the four births, received once
    assert in_platform_file == (0,)  # none written under the platform's write lock


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://somewhere/db", "database kind 'mysql' is not supported"),
        ("not a url", "is not a database URL"),
        ("postgresql://postgres@127.0.0.1:1/none", "cannot open database"),
    ],
)
def test_a_database_that_cannot_be_used_is_one_clear_line(tmp_path: Path, url: str, message: str) -> None:
    result = run("simulate", "--applications", "1", "--database", url, cwd=tmp_path)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_an_unknown_bundle_is_refused(tmp_path: Path) -> None:
    result = run("simulate", "--bundle", "wedding", "--applications", "1", cwd=tmp_path)
    assert result.returncode == 2
    assert "no bundle 'wedding'" in result.stderr


def test_deadlines_lists_nothing_when_every_case_is_done(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.sqlite3'}"
    assert run("simulate", "--applications", "2", "--database", url, cwd=tmp_path).returncode == 0
    result = run("deadlines", "--database", url, "--format", "json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == []
    table = run("deadlines", "--database", url, cwd=tmp_path)
    assert "no case is yellow or red" in table.stdout


def test_audit_verify_names_the_first_bad_entry_and_exits_1(tmp_path: Path) -> None:
    database = tmp_path / "a.sqlite3"
    url = f"sqlite:///{database}"
    assert run("simulate", "--applications", "2", "--database", url, cwd=tmp_path).returncode == 0
    intact = run("audit", "verify", "--database", url, cwd=tmp_path)
    assert intact.returncode == 0, intact.stderr
    assert "2 of 2 audit logs intact" in intact.stdout
    with sqlite3.connect(database) as db:
        # the row holding entry 4 of a log: the events one transaction appended, as a JSON array
        (app_id, first, document) = db.execute(
            "SELECT application_id, first_sequence, document FROM audit_batches WHERE first_sequence <= 4 "
            "ORDER BY application_id, first_sequence DESC LIMIT 1"
        ).fetchone()
        events = json.loads(document)
        assert events[4 - first]["sequence"] == 4
        events[4 - first]["type"] = events[4 - first]["type"].replace("org.yijianshi.", "org.yijianshi.k", 1)
        db.execute(
            "UPDATE audit_batches SET document = ? WHERE application_id = ? AND first_sequence = ?",
            (json.dumps(events), app_id, first),
        )
    broken = run("audit", "verify", "--database", url, cwd=tmp_path)
    assert broken.returncode == 1
    assert f"application {app_id}: entry 4" in broken.stderr
    assert "1 of 2 audit logs intact" in broken.stdout


def test_cases_received_into_the_platforms_file_before_are_answered_from_the_departments_own(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.sqlite3'}"
    engine = open_database(url)
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    submitted = submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    # as before the departments had a store of their own: received into the platform's file
    old = SimulatedDepartment(engine, CATALOG, clock.now)
    assert deliver_pending(context, DeliverDue(), old) == 1
    engine.dispose()
    result = run("worker", "--database", url, "--rounds", "12", "--idle-sleep", "0", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    with sqlite3.connect(tmp_path / "old.sqlite3") as platform:
        left = platform.execute("SELECT count(*) FROM simulated_inbox").fetchone()
        status = platform.execute(
            "SELECT status FROM applications WHERE id = ?", (submitted.application_id,)
        ).fetchone()
    with sqlite3.connect(tmp_path / "old-departments.sqlite3") as departments:
        answered = departments.execute(
            "SELECT count(*) FROM simulated_inbox WHERE done_at IS NOT NULL"
        ).fetchone()
    assert left == (0,)  # moved to the departments' own file
    assert status == ("completed",)  # the case received before, and every one after, answered
    assert answered == (7,)
