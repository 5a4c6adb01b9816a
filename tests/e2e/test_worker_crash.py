"""Reliability: the worker is killed with SIGKILL at random moments while applications arrive.

Every acknowledged application must still reach a final state, no case may reach its department
twice, and none may be lost; on SQLite and on PostgreSQL.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import threading
import time
import uuid
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.integration.test_submit import CALENDAR, CATALOG
from yijianshi.adapters.departments.simulated import SimulatedDepartment, open_department_store
from yijianshi.adapters.sql.engine import open_database
from yijianshi.adapters.sql.tables import applications, outbox, simulated_inbox
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import SystemClock
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context

YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")
APPLICATIONS = 1000
MIN_KILLS = 20


class WorkerProcess:
    """`yijianshi worker` as a child process, killed and restarted by a chaos thread."""

    def __init__(self, url: str, cwd: Path) -> None:
        self.url, self.cwd = url, cwd
        self.process: subprocess.Popen[bytes] | None = None
        self.kills = 0

    def start(self) -> None:
        self.process = subprocess.Popen(
            [YIJIANSHI, "worker", "--database", self.url, "--idle-sleep", "0.02"],
            cwd=self.cwd,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> None:
        assert self.process is not None
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
            self.kills += 1
        self.process.wait()

    def chaos(self, stop: threading.Event, rng: random.Random) -> None:
        while not stop.is_set():
            # long enough for the worker to start and get into its work, short enough for many kills
            time.sleep(rng.uniform(0.8, 2.0))
            self.kill()
            self.start()


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_killing_the_worker_at_random_loses_and_repeats_nothing(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'crash.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = open_database(url)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), SystemClock())
    plan = build_plan(CATALOG, CATALOG.bundles["birth"], {}, Holdings(), CALENDAR, context.clock.today())
    people = SyntheticPeople(CATALOG, seed=3)
    worker = WorkerProcess(url, tmp_path)
    worker.start()
    stop = threading.Event()
    chaos = threading.Thread(target=worker.chaos, args=(stop, random.Random(11)))
    chaos.start()
    acknowledged = []
    try:
        started = time.monotonic()
        while len(acknowledged) < APPLICATIONS or worker.kills < MIN_KILLS:
            command = SubmitApplication(
                "birth",
                f"p{len(acknowledged)}",
                uuid.uuid4().hex,
                people.form_values(plan, context.clock.today()),
            )
            acknowledged.append(submit_application(context, command).application_id)
            if len(acknowledged) >= APPLICATIONS:
                time.sleep(0.1)  # enough applications: keep the chaos going until enough kills
            assert time.monotonic() - started < 600, "the run took too long"
    finally:
        stop.set()
        chaos.join()
    assert worker.kills >= MIN_KILLS
    # a last worker, left alone, finishes the work
    deadline = time.monotonic() + 600
    while _unfinished(engine) and time.monotonic() < deadline:
        time.sleep(0.5)
    worker.kill()

    with SqlUnitOfWork(engine) as uow:
        statuses = {uow.applications.get(i).status.value for i in acknowledged}  # type: ignore[union-attr]
    assert statuses == {"completed"}, "every acknowledged application reaches a final state"
    with engine.connect() as connection:
        stored = connection.execute(select(func.count()).select_from(applications)).scalar_one()
        pending = connection.execute(
            select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None))
        ).scalar_one()
    # the simulated departments' inbox, where the worker keeps it (on SQLite, a file of its own)
    departments = open_department_store(url, engine)
    with departments.connect() as connection:
        received = connection.execute(
            select(func.count(func.distinct(simulated_inbox.c.case_id)))
        ).scalar_one()
        per_case = connection.execute(
            select(func.count()).select_from(
                select(simulated_inbox.c.case_id)
                .group_by(simulated_inbox.c.case_id)
                .having(func.count() > 1)
                .subquery()
            )
        ).scalar_one()
    assert stored == len(acknowledged), "no application lost"
    assert received == 7 * len(acknowledged), "every case reached its department"
    assert per_case == 0, "no case reached its department twice"
    assert pending == 0
    assert SimulatedDepartment(departments, CATALOG, SystemClock().now).duplicate_deliveries() == 0
    departments.dispose()
    engine.dispose()


def _unfinished(engine) -> bool:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return (
            connection.execute(
                select(func.count())
                .select_from(applications)
                .where(
                    applications.c.status.not_in(
                        ["completed", "partially_completed", "rejected", "withdrawn"]
                    )
                )
            ).scalar_one()
            > 0
        )
