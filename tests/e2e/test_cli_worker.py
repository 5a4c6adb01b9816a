"""`yijianshi worker --partition I/N`: workers side by side share the applications between them."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest

from tests.clock import FixedClock
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import bootstrap
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.settings import Settings

YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")
MONDAY = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_two_partitions_together_finish_every_application(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'w.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    settings = Settings(database_url=url, signing_key=tmp_path / "key.pem")
    container = bootstrap(settings, clock=FixedClock(MONDAY))
    context = container.context
    plan = plan_bundle(context, PlanBundle("birth", MONDAY.date()))
    people = SyntheticPeople(context.catalog, seed=3)
    ids = [
        submit_application(
            context,
            SubmitApplication(
                "birth", f"applicant-{n}", uuid.uuid4().hex, people.form_values(plan, MONDAY.date())
            ),
        ).application_id
        for n in range(12)
    ]
    env_key = {"YIJIANSHI_SIGNING_KEY": str(tmp_path / "key.pem")}
    workers = [
        subprocess.Popen(
            [
                YIJIANSHI,
                "worker",
                "--database",
                url,
                "--partition",
                share,
                "--rounds",
                "60",
                "--idle-sleep",
                "0.02",
            ],
            env={**os.environ, **env_key},
            stderr=subprocess.PIPE,
            text=True,
        )
        for share in ("0/2", "1/2")
    ]
    for worker in workers:
        _, errors = worker.communicate(timeout=240)
        assert worker.returncode == 0, errors
    with container.unit_of_work() as uow:
        statuses = {uow.applications.get(i).status.value for i in ids}  # type: ignore[union-attr]
    container.close()
    assert statuses == {"completed"}


def test_a_share_that_does_not_exist_is_refused_in_one_line(tmp_path: Path) -> None:
    for wrong in ("2/2", "1", "a/b", "0/0"):
        result = subprocess.run(
            [YIJIANSHI, "worker", "--partition", wrong, "--rounds", "1"],
            cwd=tmp_path,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
        assert result.returncode == 2
        assert "--partition" in result.stderr
        assert "Traceback" not in result.stderr
