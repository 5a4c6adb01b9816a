"""Benchmark: birth applications end to end, yijianshi (SQLite, PostgreSQL) against SpiffWorkflow.

    .venv/bin/python benchmarks/e2e.py [--applications 1000] [--clients 32] [--workers 2]
                                       [--postgres postgresql+psycopg://postgres@127.0.0.1:5432/postgres]

(a) yijianshi on SQLite (WAL, synchronous=FULL): `--clients` threads submit the applications one at
    a time through the service layer, each acknowledged only after the transaction holding it
    committed (concurrent submissions share commits: a group commit); `--workers` worker processes
    (one per core by default), each on its own partition of the applications, drive every
    application to completion, simulated departments answering at once (each keeping its inbox
    where `yijianshi worker` does: on SQLite a database file of its own, as a department is a
    system of its own). The clock runs from the first submission to the last application
    completed. Bytes per application count both files. Every process tunes its garbage collector
    once started (bootstrap.settle_heap), as a long-running server does.
(b) the same on a fresh PostgreSQL database on the local server.
(c) SpiffWorkflow running the planner's BPMN export of the same bundle: per application a new
    workflow, every user task completed with the same form data, and the serialized workflow
    state written and committed to SQLite (synchronous=FULL) after every step, as a server must;
    the same number of client threads.
Only the JSON result goes to stdout; progress goes to stderr.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import sqlite3
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.parser import BpmnParser
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.util.task import TaskState
from sqlalchemy import Engine, create_engine, func, make_url, select, text

from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.departments.simulated import SimulatedDepartment, open_department_store
from yijianshi.adapters.sql.engine import department_store_url, make_engine, open_database
from yijianshi.adapters.sql.tables import applications
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import SystemClock, assemble_worker, settle_heap
from yijianshi.domain.cases import ApplicationStatus
from yijianshi.domain.planning import Holdings, Plan, build_plan
from yijianshi.entrypoints.presenters.plan_exports import to_bpmn
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.context import Context
from yijianshi.services.delivery.ports import Partition
from yijianshi.settings import sample_catalog_dir

CATALOG = load_valid_catalog(FileCatalogSource(), str(sample_catalog_dir()))
CALENDAR = chinese_working_calendar()
CLOCK = SystemClock()
TERMINAL = {
    ApplicationStatus.COMPLETED,
    ApplicationStatus.PARTIALLY_COMPLETED,
    ApplicationStatus.REJECTED,
    ApplicationStatus.WITHDRAWN,
}


def progress(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def birth_plan() -> Plan:
    return build_plan(CATALOG, CATALOG.bundles["birth"], {}, Holdings(), CALENDAR, CLOCK.today())


def forms(count: int) -> list[dict[str, str]]:
    people, plan = SyntheticPeople(CATALOG, seed=1), birth_plan()
    return [people.form_values(plan, CLOCK.today()) for _ in range(count)]


def work(url: str, batch: int, partition: Partition, ready: Any, stop: Any) -> None:
    """A worker process, as `yijianshi worker` runs beside the server in a deployment; with
    several, each takes its own partition of the applications."""
    engine = make_engine(url)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), CLOCK)
    # the simulated departments' own store, as `yijianshi worker` keeps it (on SQLite, a file
    # beside the platform's; on PostgreSQL, the same database)
    department_url = department_store_url(url)
    department_engine = engine if department_url == url else make_engine(department_url)
    department = SimulatedDepartment(department_engine, CATALOG, CLOCK.now)
    worker = assemble_worker(context, department, department, batch=batch, partition=partition)
    worker.run_once()
    settle_heap()
    ready.set()
    while not stop.is_set():
        if worker.run_once() == 0:
            time.sleep(0.005)
    engine.dispose()
    department_engine.dispose()


def terminal(engine: Engine) -> int:
    with engine.connect() as connection:
        return connection.execute(
            select(func.count()).select_from(applications).where(applications.c.status.in_(sorted(TERMINAL)))
        ).scalar_one()


def run_yijianshi(url: str, values: list[dict[str, str]], clients: int, workers: int) -> float:
    """Applications per second, first submission to last completion. The workers run in their own
    processes, started (and warm) before the clock starts, as in a deployment."""
    engine = open_database(url)
    departments = open_department_store(url, engine)  # made once, before the workers start
    if departments is not engine:
        departments.dispose()
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), CLOCK)
    spawn = multiprocessing.get_context("spawn")
    stop = spawn.Event()
    started_workers = []
    for index in range(workers):
        ready = spawn.Event()
        process = spawn.Process(target=work, args=(url, 500, Partition(index, workers), ready, stop))
        process.start()
        ready.wait(120)
        started_workers.append(process)
    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(
            pool.map(
                lambda n: submit_application(
                    context, SubmitApplication("birth", f"applicant-{n}", uuid.uuid4().hex, values[n])
                ),
                range(len(values)),
            )
        )
    submitted = time.perf_counter()
    while terminal(engine) < len(values):
        time.sleep(0.01)
    seconds = time.perf_counter() - started
    stop.set()
    for process in started_workers:
        process.join(60)
    progress(f"  submitted in {submitted - started:.1f} s, completed in {seconds:.1f} s")
    engine.dispose()
    return len(values) / seconds


def run_spiffworkflow(path: Path, values: list[dict[str, str]], clients: int) -> float:
    plan = birth_plan()
    parser = BpmnParser()
    parser.add_bpmn_str(to_bpmn(CATALOG, plan).encode("utf-8"))
    (process,) = parser.get_process_ids()
    spec = parser.get_spec(process)
    serializer = BpmnWorkflowSerializer(BpmnWorkflowSerializer.configure())
    with sqlite3.connect(path) as db:
        db.executescript("PRAGMA journal_mode=WAL; CREATE TABLE workflows (id TEXT PRIMARY KEY, state TEXT)")
    local = threading.local()

    def connection() -> sqlite3.Connection:
        if not hasattr(local, "db"):
            local.db = sqlite3.connect(path, timeout=60, check_same_thread=False)
            local.db.execute("PRAGMA synchronous=FULL")
        return local.db  # type: ignore[no-any-return]

    def store(db: sqlite3.Connection, workflow_id: str, workflow: BpmnWorkflow) -> None:
        db.execute(
            "INSERT INTO workflows VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state",
            (workflow_id, serializer.serialize_json(workflow)),
        )
        db.commit()

    def one(n: int) -> None:
        db, workflow_id = connection(), uuid.uuid4().hex
        workflow = BpmnWorkflow(spec)
        workflow.data.update(values[n])
        workflow.do_engine_steps()
        store(db, workflow_id, workflow)  # the submission, acknowledged once committed
        while ready := workflow.get_tasks(state=TaskState.READY, manual=True):
            task = ready[0]
            task.data[f"done_{task.task_spec.bpmn_id}"] = True
            task.run()
            workflow.do_engine_steps()
            store(db, workflow_id, workflow)
        assert workflow.is_completed()

    started = time.perf_counter()
    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(one, range(len(values))))
    return len(values) / (time.perf_counter() - started)


def file_bytes(path: Path) -> int:
    """The bytes of a SQLite database (its -wal and -shm files included) and of the simulated
    departments' database beside it, if any."""
    departments = Path(make_url(department_store_url(f"sqlite:///{path}")).database or "")
    return sum(p.stat().st_size for base in {path, departments} for p in base.parent.glob(base.name + "*"))


def postgres_database(admin_url: str) -> tuple[str, Any]:
    name = f"yijianshi_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    return admin_url.rsplit("/", 1)[0] + f"/{name}", (admin, name)


def drop(admin: Any, name: str) -> int:
    with admin.connect() as connection:
        size = connection.execute(text(f"SELECT pg_database_size('{name}')")).scalar_one()
        connection.execute(text(f'DROP DATABASE "{name}" WITH (FORCE)'))
    admin.dispose()
    return int(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=32)
    parser.add_argument(
        "--workers",
        type=int,
        default=2,
        help="worker processes, each on its own partition of the applications",
    )
    parser.add_argument(
        "--postgres",
        default=os.environ.get(
            "YIJIANSHI_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
        ),
    )
    args = parser.parse_args()
    values = forms(args.applications)
    settle_heap()  # as a server does once started; SpiffWorkflow, in this process too, gains alike
    result: dict[str, Any] = {
        "applications": args.applications,
        "clients": args.clients,
        "workers": args.workers,
        "date": dt.date.today().isoformat(),
    }
    with tempfile.TemporaryDirectory() as directory:
        sqlite_path = Path(directory) / "yijianshi.sqlite3"
        progress("yijianshi on SQLite")
        per_s = run_yijianshi(f"sqlite:///{sqlite_path}", values, args.clients, args.workers)
        result["yijianshi_sqlite_per_s"] = round(per_s, 1)
        result["yijianshi_sqlite_bytes_per_application"] = file_bytes(sqlite_path) // args.applications
        progress("yijianshi on PostgreSQL")
        url, (admin, name) = postgres_database(args.postgres)
        result["yijianshi_postgres_per_s"] = round(run_yijianshi(url, values, args.clients, args.workers), 1)
        result["yijianshi_postgres_bytes_per_application"] = drop(admin, name) // args.applications
        progress("SpiffWorkflow on SQLite")
        spiff_path = Path(directory) / "spiff.sqlite3"
        result["spiffworkflow_per_s"] = round(run_spiffworkflow(spiff_path, values, args.clients), 1)
        result["spiffworkflow_bytes_per_application"] = file_bytes(spiff_path) // args.applications
    result["ratio_sqlite"] = round(result["yijianshi_sqlite_per_s"] / result["spiffworkflow_per_s"], 2)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
