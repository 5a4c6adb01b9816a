"""The webhook gateway: each case is POSTed to its department's system as a signed CloudEvent.

One request per dispatch (CloudEvents 1.0, HTTP binding, structured mode):

    POST <the department's url>
    Content-Type: application/cloudevents+json; charset=utf-8
    X-Yijianshi-Timestamp: 1772413200
    X-Yijianshi-Signature: sha256=<64 lowercase hex digits>

    {"specversion": "1.0", "id": "<event id>", "source": "/applications/<application id>",
     "type": "org.yijianshi.case.dispatched", "subject": "<case id>",
     "time": "2026-03-02T09:00:00+08:00", "datacontenttype": "application/json",
     "data": {"application_id": "...", "case_id": "...", "item": "<item code>",
              "department": "<department code>", "fields": {"<data element key>": "<value>"}}}

`fields` holds only the data elements the item declares. To verify a request, the department's
system:

1. computes HMAC-SHA256, keyed with its secret (the UTF-8 bytes of the value of the environment
   variable its `secret_env` names), over the timestamp header's ASCII digits, a full stop and the
   raw body bytes, exactly as received: `HMAC(secret, timestamp + "." + body)`; compares the hex
   digest with the signature header after `sha256=`, in constant time; answers 401 if they differ;
2. refuses a timestamp more than 5 minutes away from its own clock (a replayed request);
3. dedupes by `id`: an event may arrive again (a retry after an answer that was lost), and is then
   answered 2xx again without being acted on twice.

A 2xx answer means the department has the case. Any other answer, no answer within the timeout,
or no connection is a failed attempt, retried with backoff and dead-lettered after the retry
budget (see services.dispatching.RetryPolicy). Once a connection to a department fails, the rest
of that batch for it is not sent that round (also failed attempts), so a department that is down
costs one timeout per round, not one per case. The department then works the case through the API
with its department account: accept, request a supplement, complete or reject.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable, Sequence
from typing import Any

import httpx2

from yijianshi.services.delivery.ports import DeliveryOutcome, Dispatch

EVENT_TYPE = "org.yijianshi.case.dispatched"
CONTENT_TYPE = "application/cloudevents+json; charset=utf-8"
TIMESTAMP_HEADER = "X-Yijianshi-Timestamp"
SIGNATURE_HEADER = "X-Yijianshi-Signature"


def cloud_event(dispatch: Dispatch) -> dict[str, Any]:
    """The dispatch as a structured-mode CloudEvent."""
    return {
        "specversion": "1.0",
        "id": dispatch.event_id,
        "source": f"/applications/{dispatch.application_id}",
        "type": EVENT_TYPE,
        "subject": dispatch.case_id,
        "time": dispatch.created_at.isoformat(),
        "datacontenttype": "application/json",
        "data": {
            "application_id": dispatch.application_id,
            "case_id": dispatch.case_id,
            "item": dispatch.item,
            "department": dispatch.department,
            "fields": dict(dispatch.data),
        },
    }


def signature(secret: str, timestamp: str, body: bytes) -> str:
    """The signature header's value: `sha256=` and HMAC-SHA256(secret, timestamp "." body) in hex."""
    digest = hmac.new(secret.encode(), timestamp.encode("ascii") + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


class Unreachable(Exception):
    """No answer from the department's system: it is down, or too slow."""


class WebhookDepartmentGateway:
    """One department's system, reached at `url`, signing with `secret`; `client` is shared by
    every department (its timeouts bound each attempt)."""

    def __init__(
        self, url: str, secret: str, client: httpx2.Client, clock: Callable[[], float] = time.time
    ) -> None:
        self.url = url
        self._secret = secret
        self.client = client
        self.clock = clock

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """POST each dispatch in turn; after a connection failure, send no more this round."""
        outcomes = []
        down: str | None = None
        for dispatch in dispatches:
            if down is not None:
                outcomes.append(DeliveryOutcome(dispatch.event_id, f"not sent: {down}"))
                continue
            try:
                outcomes.append(DeliveryOutcome(dispatch.event_id, self._post(dispatch)))
            except Unreachable as error:
                down = str(error)
                outcomes.append(DeliveryOutcome(dispatch.event_id, down))
        return outcomes

    def _post(self, dispatch: Dispatch) -> str | None:
        """None once the department answered 2xx; else why not. Raise Unreachable."""
        body = json.dumps(cloud_event(dispatch), ensure_ascii=False, separators=(",", ":")).encode()
        timestamp = str(int(self.clock()))
        headers = {
            "Content-Type": CONTENT_TYPE,
            TIMESTAMP_HEADER: timestamp,
            SIGNATURE_HEADER: signature(self._secret, timestamp, body),
        }
        try:
            response = self.client.post(self.url, content=body, headers=headers)
        except httpx2.TransportError as error:
            raise Unreachable(f"{self.url} unreachable: {type(error).__name__}: {error}") from None
        except httpx2.HTTPError as error:
            return f"{self.url}: {type(error).__name__}: {error}"
        if response.is_success:
            return None
        status = f"{response.status_code} {response.reason_phrase}"
        return f"{self.url} answered HTTP {status}: {response.text[:200]}"
