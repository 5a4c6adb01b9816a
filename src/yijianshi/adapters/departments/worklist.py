"""The worklist gateway: the department's staff work in yijianshi itself.

A case is in its department's worklist (`GET /api/department/cases`) from the moment it is
dispatched, so there is nothing to send: every delivery succeeds at once. Staff then accept,
request a supplement, complete or reject it through the API.
"""

from __future__ import annotations

from collections.abc import Sequence

from yijianshi.services.delivery.ports import DeliveryOutcome, Dispatch


class WorklistGateway:
    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """Every dispatch delivered: its case is already in the department's worklist."""
        return [DeliveryOutcome(d.event_id) for d in dispatches]
