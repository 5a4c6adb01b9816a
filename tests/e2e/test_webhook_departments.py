"""A department reached by webhook, through the API: it answers with its department account; what
it could not be sent becomes a dead letter an administrator lists and replays (API and CLI).

The birth medical certificate's department (the hospital) has a webhook to a real receiver process
on loopback; the other departments are simulated. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

import datetime as dt
import json
import random
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from argon2 import PasswordHasher
from fastapi.testclient import TestClient

from tests.clock import FixedClock
from tests.e2e.conftest import MONDAY, PASSWORD, Api, department_account
from tests.e2e.test_api_lifecycle import submit
from tests.e2e.webhooks import ReceiverProcess, WebhookDepartments, events_of, free_port
from yijianshi.adapters.auth.passwords import Argon2Passwords
from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.bootstrap import bootstrap
from yijianshi.domain.accounts import Role
from yijianshi.entrypoints.api.app import create_app
from yijianshi.services.accounts.local_accounts import CreateAccount, create_account
from yijianshi.settings import Settings

HOSPITAL = "ruian-hospital"
YIJIANSHI = str(Path(sys.executable).parent / "yijianshi")


@pytest.fixture(params=["sqlite", "postgresql"])
def hooked(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Api, ReceiverProcess]]:
    """The API with the hospital on a webhook (retry budget 2), and its receiver, not started."""
    url = (
        f"sqlite:///{tmp_path / 'api.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    departments = WebhookDepartments(free_port(), [HOSPITAL])
    settings = Settings(
        database_url=url,
        secret_key="test-secret-" + "x" * 40,
        signing_key=tmp_path / "signing-key.pem",
        departments_config=departments.write_config(tmp_path / "departments.yaml"),
        delivery_backoff_base_s=60,
        delivery_retry_budget=2,
    )
    clock = FixedClock(MONDAY)
    passwords = Argon2Passwords(PasswordHasher(time_cost=1, memory_cost=8, parallelism=1))
    container = bootstrap(settings, clock=clock, environ=departments.environ, passwords=passwords)
    identity = container.identity
    create_account(
        identity, CreateAccount("mother", "林晓梅", Role.APPLICANT, PASSWORD, id_number="330381199003070023")
    )
    create_account(identity, CreateAccount("admin", "管理员", Role.ADMIN, PASSWORD))
    create_account(
        identity,
        CreateAccount(department_account(HOSPITAL), "产科", Role.DEPARTMENT, PASSWORD, department=HOSPITAL),
    )
    receiver = ReceiverProcess(departments, tmp_path / "received.sqlite3")
    with TestClient(create_app(container), raise_server_exceptions=False) as client:
        yield Api(client, container, clock), receiver
    receiver.stop()
    container.close()


def test_the_department_answers_through_the_api_after_a_webhook_delivery(
    hooked: tuple[Api, ReceiverProcess],
) -> None:
    api, receiver = hooked
    receiver.start()
    application_id = submit(api).json()["id"]
    worker = api.container.worker()
    worker.run_until_idle()
    [event] = events_of(receiver.accepted().values(), HOSPITAL)
    assert event["type"] == "org.yijianshi.case.dispatched"
    assert event["data"]["application_id"] == application_id
    case_id, staff = event["subject"], department_account(HOSPITAL)
    assert api.as_(staff, "POST", f"/api/department/cases/{case_id}/accept").status_code == 204
    catalog = api.container.catalog
    outputs = item_outputs(
        catalog,
        catalog.items[event["data"]["item"]],
        event["data"]["fields"],
        api.clock.today(),
        random.Random(2),
    )
    done = api.as_(staff, "POST", f"/api/department/cases/{case_id}/complete", json={"outputs": outputs})
    assert done.status_code == 204, done.text
    worker.run_until_idle()  # the cases it made ready go to the simulated departments, which answer
    shown = api.as_("mother", "GET", f"/api/applications/{application_id}").json()
    assert shown["status"] == "completed"
    with api.container.unit_of_work() as uow:
        actors = {e.actor for e in uow.audit.log(application_id) if e.subject == case_id}
    assert f"department:{staff}" in actors
    assert receiver.receipts() == (1, 0)


def dead_letter(api: Api) -> dict[str, object]:
    """Submit with the hospital's system down, and let the worker use the budget of 2 attempts."""
    submit(api)
    worker = api.container.worker()
    worker.run_until_idle()
    api.clock.moment += dt.timedelta(hours=1)
    worker.run_until_idle()
    [letter] = api.as_("admin", "GET", "/api/admin/dead-letters").json()
    return dict(letter)


def test_an_administrator_sees_and_replays_a_dead_letter(hooked: tuple[Api, ReceiverProcess]) -> None:
    api, receiver = hooked
    letter = dead_letter(api)
    assert (letter["department"], letter["item"]) == (HOSPITAL, "birth-medical-certificate")
    assert letter["attempts"] == 2
    assert "unreachable" in str(letter["last_error"])
    assert letter["dead_lettered_at"].startswith("2026-03-02T02:00:00")  # type: ignore[attr-defined]
    assert api.as_(department_account(HOSPITAL), "GET", "/api/admin/dead-letters").status_code == 403
    listed = "/api/admin/dead-letters"
    assert api.as_("admin", "GET", listed, params={"department": "ruian-psb"}).json() == []
    assert api.as_("admin", "GET", listed, params={"department": "x\x00"}).status_code == 422

    receiver.start()
    replayed = api.as_("admin", "POST", f"/api/admin/dead-letters/{letter['event_id']}/replay")
    assert replayed.status_code == 200, replayed.text
    assert replayed.json()["event_id"] == letter["event_id"]
    again = api.as_("admin", "POST", f"/api/admin/dead-letters/{letter['event_id']}/replay")
    assert again.status_code == 404
    assert again.json()["detail_zh"].startswith("没有这条死信")
    api.container.worker().run_until_idle()
    assert set(receiver.accepted()) == {letter["event_id"]}
    assert api.as_("admin", "GET", "/api/admin/dead-letters").json() == []
    with api.container.unit_of_work() as uow:
        trail = uow.audit.log(str(letter["application_id"]))
    assert [(e.type, e.actor) for e in trail if "dispatch" in e.type] == [
        ("org.yijianshi.dispatch.dead_lettered", "system"),
        ("org.yijianshi.dispatch.replayed", "admin:admin"),
    ]


def cli(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [YIJIANSHI, "dead-letters", *args], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_dead_letters_are_listed_and_replayed_from_the_command_line(
    hooked: tuple[Api, ReceiverProcess], tmp_path: Path
) -> None:
    api, _ = hooked
    letter = dead_letter(api)
    url = api.container.settings.database_url
    listed = cli("list", "--database", url, "--format", "json", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    assert [d["event_id"] for d in json.loads(listed.stdout)] == [letter["event_id"]]
    shown = cli("list", "--database", url, cwd=tmp_path).stdout.splitlines()
    assert shown[1].split()[1:3] == [HOSPITAL, "birth-medical-certificate"]
    assert shown[2].strip().startswith("last error 最后错误: http://127.0.0.1:")
    both = cli("replay", str(letter["event_id"]), "--department", HOSPITAL, "--database", url, cwd=tmp_path)
    assert (both.returncode, both.stderr.strip()) == (
        2,
        "name one dead letter (EVENT_ID) or one department (--department DEPARTMENT)",
    )
    unknown = cli("replay", "no-such-event", "--database", url, cwd=tmp_path)
    assert unknown.returncode == 2
    assert unknown.stderr.strip() == "error: no dead letter with event id no-such-event"
    replayed = cli("replay", "--department", HOSPITAL, "--by", "wang", "--database", url, cwd=tmp_path)
    assert replayed.returncode == 0, replayed.stderr
    assert "replayed 1 dead letter(s)" in replayed.stdout
    assert json.loads(cli("list", "--database", url, "--format", "json", cwd=tmp_path).stdout) == []
    with api.container.unit_of_work() as uow:
        trail = uow.audit.log(str(letter["application_id"]))
    assert [e.actor for e in trail if e.type.endswith("replayed")] == ["admin:wang"]
