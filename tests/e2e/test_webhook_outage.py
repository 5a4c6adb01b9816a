"""Reliability of webhook delivery: the departments' system goes down for a while during a run.

A real receiver process on loopback stands for every department's system. The worker delivers the
cases of 50 birth applications to it by signed webhook; the test answers each case the receiver
accepted, as the department would, so the next cases are dispatched. In the middle of the run the
receiver is killed (SIGKILL) and left down: deliveries fail and are retried with backoff. It is then
restarted on the same port, and the run goes on until every application is completed. Every case
must then have been delivered, each event accepted exactly once, none marked delivered that the
receiver did not accept, and nothing dead-lettered. Then some events are sent again, as after a
worker crash between delivering and recording: the receiver answers 200 but accepts none twice.
On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import random
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, update

from tests.e2e.webhooks import ReceiverProcess, WebhookDepartments, free_port
from tests.integration.test_submit import CATALOG
from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.adapters.sql.tables import applications, outbox
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.bootstrap import Container, bootstrap
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.cases.decisions import answer_cases
from yijianshi.services.delivery.ports import AnswerCases
from yijianshi.services.planning import PlanBundle, plan_bundle
from yijianshi.settings import Settings

APPLICATIONS = 50
CASES_EACH = 7  # the birth bundle on its default answers
EXPECTED = APPLICATIONS * CASES_EACH
OUTAGE_S = 1.5
REDELIVERED = 10


def configured(url: str, tmp_path: Path, port: int) -> tuple[Container, WebhookDepartments]:
    departments = WebhookDepartments(port, sorted(CATALOG.departments))
    settings = Settings(
        database_url=url,
        signing_key=tmp_path / "key.pem",
        department_gateway="webhook",
        departments_config=departments.write_config(tmp_path / "departments.yaml"),
        delivery_backoff_base_s=0.05,
        delivery_backoff_cap_s=0.4,
        delivery_retry_budget=1000,
        webhook_timeout_s=2,
    )
    return bootstrap(settings, environ=departments.environ), departments


def submit(container: Container) -> None:
    context = container.context
    plan = plan_bundle(context, PlanBundle("birth", context.clock.today()))
    people = SyntheticPeople(context.catalog, seed=5)
    for n in range(APPLICATIONS):
        values = people.form_values(plan, context.clock.today())
        submit_application(context, SubmitApplication("birth", f"parent-{n}", uuid.uuid4().hex, values))


class Departments:
    """The departments' staff: each case the receiver accepted is accepted and completed once."""

    def __init__(self, container: Container, receiver: ReceiverProcess) -> None:
        self.container, self.receiver = container, receiver
        self.answered: set[str] = set()
        self.rng = random.Random(1)

    def answer_new(self) -> int:
        catalog, today = self.container.catalog, self.container.clock.today()
        new = [e for event_id, e in self.receiver.accepted().items() if event_id not in self.answered]
        answers = [
            (
                e["subject"],
                item_outputs(catalog, catalog.items[e["data"]["item"]], e["data"]["fields"], today, self.rng),
            )
            for e in new
        ]
        answer_cases(self.container.context, AnswerCases(answers, "department"))
        self.answered.update(e["id"] for e in new)
        return len(new)


def scalar(engine: Engine, query) -> int:  # type: ignore[no-untyped-def]
    with engine.connect() as connection:
        return int(connection.execute(query).scalar_one())


def unfinished(engine: Engine) -> int:
    """Applications not completed, and dispatches not delivered."""
    return scalar(
        engine, select(func.count()).select_from(applications).where(applications.c.status != "completed")
    ) + scalar(engine, select(func.count()).select_from(outbox).where(outbox.c.delivered_at.is_(None)))


@pytest.mark.parametrize("database", ["sqlite", "postgresql"])
def test_every_case_reaches_a_department_down_for_a_while_exactly_once(
    database: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    url = (
        f"sqlite:///{tmp_path / 'outage.sqlite3'}"
        if database == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    container, departments = configured(url, tmp_path, free_port())
    receiver = ReceiverProcess(departments, tmp_path / "received.sqlite3")
    receiver.start()
    try:
        submit(container)
        outage = run(container, receiver)
        engine = container.engine
        with engine.connect() as connection:
            sent = {r.event_id: r for r in connection.execute(select(outbox))}
        total, duplicates = receiver.receipts()
        redelivered = redeliver(container, list(sent)[:REDELIVERED])
    finally:
        receiver.stop()
    accepted = receiver.accepted()
    failed_attempts = sum(r.attempts for r in sent.values()) - len(sent)
    print(
        f"\n{database}: {len(sent)} cases delivered, {failed_attempts} failed attempts "
        f"({outage['failed_during']} dispatches failing during the {OUTAGE_S} s outage), {total} receipts, "
        f"{duplicates} duplicate receipts, {receiver.kills} kill(s); {redelivered} redelivered on purpose"
    )
    assert unfinished(engine) == 0, "every application completed, every dispatch delivered"
    assert len(sent) == EXPECTED
    assert all(r.delivered_at is not None for r in sent.values()), "every dispatched case was delivered"
    assert set(accepted) == set(sent), "delivered exactly the events the receiver accepted"
    assert len({e["subject"] for e in accepted.values()}) == len(accepted), "each case accepted once"
    assert all(r.dead_lettered_at is None for r in sent.values()), "nothing dead-lettered"
    assert outage["failed_during"] > 0, "the outage made deliveries fail"
    assert failed_attempts >= outage["failed_during"]
    assert duplicates <= receiver.kills, "only a delivery cut off by the kill may arrive twice"
    assert receiver.receipts() == (total + REDELIVERED, duplicates + REDELIVERED), "redeliveries deduped"
    container.close()


def redeliver(container: Container, event_ids: list[str]) -> int:
    """As after a worker crash between delivering and recording: the same events are sent again,
    and the receiver must not accept them twice. Return how many were sent again."""
    with container.engine.begin() as connection:
        connection.execute(update(outbox).where(outbox.c.event_id.in_(event_ids)).values(delivered_at=None))
    worker = container.worker()
    worker.run_until_idle()
    return len(event_ids)


def run(container: Container, receiver: ReceiverProcess) -> dict[str, int]:
    """Work until every application is completed; take the receiver down for OUTAGE_S once a
    third of the cases were accepted. Return how many dispatches were failing during the outage."""
    worker, staff, engine = container.worker(), Departments(container, receiver), container.engine
    down_since: float | None = None
    failed_during = 0
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        done = worker.run_once() + staff.answer_new()
        if down_since is None and receiver.kills == 0 and len(staff.answered) >= EXPECTED // 3:
            receiver.kill()
            down_since = time.monotonic()
        elif down_since is not None and time.monotonic() - down_since >= OUTAGE_S:
            failed_during = scalar(
                engine,
                select(func.count())
                .select_from(outbox)
                .where(outbox.c.delivered_at.is_(None), outbox.c.last_error.is_not(None)),
            )
            receiver.start()
            down_since = None
        elif receiver.process is not None and done == 0 and unfinished(engine) == 0:
            return {"failed_during": failed_during}
        if done == 0:
            time.sleep(0.01)
    raise AssertionError("the run took too long")
