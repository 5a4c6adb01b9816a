"""Department gateways without a network: routing, worklist, and the webhook's requests (through
httpx's mock transport), checked the way the webhook module tells a department to check them."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
from collections.abc import Callable, Sequence

import httpx2

from yijianshi.adapters.departments.config import DepartmentRoute, GatewayConfig
from yijianshi.adapters.departments.routing import RoutingGateway, routing_gateway
from yijianshi.adapters.departments.webhook import WebhookDepartmentGateway
from yijianshi.adapters.departments.worklist import WorklistGateway
from yijianshi.services.delivery.ports import DeliveryOutcome, Dispatch

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))
SECRET = "s" * 40
URL = "http://psb.example/yijianshi/events"


def dispatch(n: int, department: str = "psb") -> Dispatch:
    return Dispatch(f"e{n}", "a1", f"c{n}", "household", department, {"child.name": "林小安"}, NOW)


class Recording:
    def __init__(self, error: str | None = None) -> None:
        self.batches: list[list[str]] = []
        self.error = error

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        self.batches.append([d.event_id for d in dispatches])
        return [DeliveryOutcome(d.event_id, self.error) for d in dispatches]


def webhook(handler: Callable[[httpx2.Request], httpx2.Response]) -> WebhookDepartmentGateway:
    client = httpx2.Client(transport=httpx2.MockTransport(handler))
    return WebhookDepartmentGateway(URL, SECRET, client, clock=lambda: 1772413200.5)


def test_each_dispatch_goes_to_its_departments_gateway_in_one_batch_per_gateway() -> None:
    simulated, down = Recording(), Recording("HTTP 503")
    gateway = RoutingGateway({"psb": down}, simulated)
    outcomes = gateway.deliver_many([dispatch(1, "health"), dispatch(2, "psb"), dispatch(3, "tax")])
    assert [o.event_id for o in outcomes] == ["e1", "e2", "e3"]
    assert [o.delivered for o in outcomes] == [True, False, True]
    assert simulated.batches == [["e1", "e3"]]
    assert down.batches == [["e2"]]


def test_a_worklist_delivery_has_nothing_to_send() -> None:
    assert all(o.delivered for o in WorklistGateway().deliver_many([dispatch(1), dispatch(2)]))


def test_a_webhook_department_missing_from_the_file_fails_visibly() -> None:
    gateway = routing_gateway(GatewayConfig("webhook", {}), Recording(), lambda: httpx2.Client())
    [outcome] = gateway.deliver_many([dispatch(1)])
    assert outcome.error is not None
    assert "not in the departments file" in outcome.error


def test_each_configured_webhook_department_gets_its_own_url() -> None:
    config = GatewayConfig(
        "simulated", {"psb": DepartmentRoute("webhook", URL, SECRET), "health": DepartmentRoute("worklist")}
    )
    gateway = routing_gateway(config, Recording(), lambda: httpx2.Client())
    psb = gateway.gateway_of("psb")
    assert isinstance(psb, WebhookDepartmentGateway)
    assert psb.url == URL
    assert isinstance(gateway.gateway_of("health"), WorklistGateway)


def test_a_webhook_posts_a_structured_cloudevent_signed_as_documented() -> None:
    received: list[httpx2.Request] = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        received.append(request)
        return httpx2.Response(202)

    [outcome] = webhook(handler).deliver_many([dispatch(1)])
    assert outcome.delivered
    [request] = received
    assert request.method == "POST"
    assert str(request.url) == URL
    assert request.headers["content-type"] == "application/cloudevents+json; charset=utf-8"
    timestamp = request.headers["x-yijianshi-timestamp"]
    assert timestamp == "1772413200"
    expected = hmac.new(SECRET.encode(), timestamp.encode() + b"." + request.content, hashlib.sha256)
    assert hmac.compare_digest(request.headers["x-yijianshi-signature"], f"sha256={expected.hexdigest()}")
    event = json.loads(request.content)
    assert event == {
        "specversion": "1.0",
        "id": "e1",
        "source": "/applications/a1",
        "type": "org.yijianshi.case.dispatched",
        "subject": "c1",
        "time": "2026-03-02T09:00:00+08:00",
        "datacontenttype": "application/json",
        "data": {
            "application_id": "a1",
            "case_id": "c1",
            "item": "household",
            "department": "psb",
            "fields": {"child.name": "林小安"},
        },
    }


def test_an_answer_other_than_2xx_is_a_failure_with_the_status() -> None:
    [outcome] = webhook(lambda _: httpx2.Response(401, text="bad signature")).deliver_many([dispatch(1)])
    assert outcome.error is not None
    assert "HTTP 401" in outcome.error
    assert "bad signature" in outcome.error


def test_after_a_connection_failure_the_rest_of_the_batch_is_not_sent() -> None:
    calls = []

    def handler(request: httpx2.Request) -> httpx2.Response:
        calls.append(request)
        raise httpx2.ConnectError("connection refused", request=request)

    outcomes = webhook(handler).deliver_many([dispatch(1), dispatch(2), dispatch(3)])
    assert len(calls) == 1
    assert not any(o.delivered for o in outcomes)
    assert "connection refused" in (outcomes[0].error or "")
    assert (outcomes[2].error or "").startswith("not sent: ")
