"""Applications in several states on a live server, made through its HTTP API as each role would:
for screenshots and for browser tests that start from an application already under way."""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from typing import Any

import httpx2 as httpx

from tests.browser.live import MOTHER_ID, PASSWORD, Live, department_account
from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.services.planning import PlanBundle, plan_bundle


@dataclass
class Seeded:
    under_way: str  # some items completed, one waiting for a supplement, others still open
    finished: str  # every item completed and rated badly (a rectification is open)


class Client:
    def __init__(self, live: Live) -> None:
        self.live = live
        self.http = httpx.Client(base_url=live.url, timeout=30)
        self.tokens: dict[str, str] = {}

    def as_(self, account: str, method: str, url: str, **kwargs: Any) -> Any:
        if account not in self.tokens:
            got = self.http.post("/api/auth/token", json={"account": account, "password": PASSWORD})
            got.raise_for_status()
            self.tokens[account] = got.json()["access_token"]
        headers = {"Authorization": f"Bearer {self.tokens[account]}", **kwargs.pop("headers", {})}
        response = self.http.request(method, url, headers=headers, **kwargs)
        response.raise_for_status()
        return response

    def close(self) -> None:
        self.http.close()


def form_values(live: Live, seed: int = 7) -> dict[str, str]:
    """The newborn form filled with generated people (the mother is the applicant)."""
    context = live.container.context
    plan = plan_bundle(context, PlanBundle("birth", live.clock.today()))
    values = SyntheticPeople(context.catalog, seed=seed).form_values(plan, live.clock.today())
    values["mother.id_number"] = MOTHER_ID
    return values


def submit(client: Client, seed: int) -> str:
    made = client.as_(
        "mother",
        "POST",
        "/api/applications",
        json={"bundle": "birth", "values": form_values(client.live, seed)},
        headers={"Idempotency-Key": uuid.uuid4().hex},
    )
    application_id: str = made.json()["id"]
    return application_id


def cases(client: Client, application_id: str, state: str | None = None) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = client.as_("mother", "GET", f"/api/applications/{application_id}").json()[
        "cases"
    ]
    return [c for c in found if state is None or c["state"] == state]


def wait_for_sent(client: Client, application_id: str) -> list[dict[str, Any]]:
    for _ in range(200):
        sent = cases(client, application_id, "sent")
        if sent:
            return sent
        time.sleep(0.05)
    return []


def work(client: Client, application_id: str, rounds: int, rng: random.Random) -> None:
    """Departments accept and complete what reached them, `rounds` times (the worker passes each
    item's outputs on to the items waiting for them in between)."""
    catalog = client.live.container.catalog
    for _ in range(rounds):
        for case in wait_for_sent(client, application_id):
            staff = department_account(case["department"])
            detail = client.as_(staff, "GET", f"/api/department/cases/{case['id']}").json()
            client.as_(staff, "POST", f"/api/department/cases/{case['id']}/accept")
            outputs = item_outputs(
                catalog, catalog.items[case["item"]], detail["fields"], client.live.clock.today(), rng
            )
            client.as_(
                staff, "POST", f"/api/department/cases/{case['id']}/complete", json={"outputs": outputs}
            )


def seed(live: Live) -> Seeded:
    client = Client(live)
    rng = random.Random(3)
    try:
        finished = submit(client, 11)
        work(client, finished, 10, rng)
        client.as_(
            "mother",
            "POST",
            f"/api/applications/{finished}/rating",
            json={"level": "dissatisfied", "comment": "窗口排队时间长 / a long queue at the window"},
        )
        under_way = submit(client, 12)
        work(client, under_way, 1, rng)
        waiting = wait_for_sent(client, under_way)
        if waiting:
            case = waiting[0]
            staff = department_account(case["department"])
            client.as_(staff, "POST", f"/api/department/cases/{case['id']}/accept")
            client.as_(
                staff,
                "POST",
                f"/api/department/cases/{case['id']}/supplement-request",
                json={
                    "zh": "请上传清晰的出生医学证明照片",
                    "en": "Upload a clear photo of the birth certificate",
                },
            )
        return Seeded(under_way, finished)
    finally:
        client.close()
