"""Simulated departments in memory: the fake of adapters/departments/simulated.py.

One object is both ports of services/delivery/ports.py that `SimulatedDepartment` is: a
`DepartmentGateway` that receives cases (once per event id) and an `AnsweringDepartment` that
accepts and completes each `delay` after it arrived, with the outputs its item declares
(adapters/departments/outputs.py, from a seeded random source).
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from yijianshi.adapters.departments.outputs import item_outputs
from yijianshi.domain.catalog import Catalog
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    DeliveryOutcome,
    DepartmentAnswer,
    Dispatch,
    Partition,
    shard_of,
)


@dataclass(frozen=True, slots=True)
class _Received:
    """A case in the inbox, as `SimulatedDepartment` keeps it in its table."""

    case_id: str
    item: str
    data: Mapping[str, Any]
    due_at: dt.datetime
    shard: int


class MemoryDepartment:
    """Every department of the catalogue, simulated in memory; `delay` is how long each takes to
    answer, `now` tells the time (a clock's `now`)."""

    def __init__(
        self,
        catalog: Catalog,
        now: Callable[[], dt.datetime],
        delay: dt.timedelta = dt.timedelta(0),
        seed: int | None = None,
    ) -> None:
        self.catalog = catalog
        self.now = now
        self.delay = delay
        self.rng = random.Random(seed)
        self.inbox: dict[str, _Received] = {}  # by event id, in the order received
        self.answered: set[str] = set()  # event ids the platform collected (`done`)

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """Receive every case: always delivered; one received before (by event id) is kept as
        it was."""
        due_at = self.now() + self.delay
        for d in dispatches:
            received = _Received(d.case_id, d.item, dict(d.data), due_at, shard_of(d.application_id))
            self.inbox.setdefault(d.event_id, received)
        return [DeliveryOutcome(d.event_id) for d in dispatches]

    def due(self, limit: int, partition: Partition = EVERYTHING) -> list[DepartmentAnswer]:
        """Cases of `partition` whose answer is due and not collected, earliest due first, with
        the outputs the department produces."""
        now = self.now()
        due = sorted(
            (
                (event_id, received)
                for event_id, received in self.inbox.items()
                if event_id not in self.answered
                and received.due_at <= now
                and received.shard % partition.count == partition.index
            ),
            key=lambda found: found[1].due_at,
        )
        return [
            DepartmentAnswer(
                event_id,
                r.case_id,
                item_outputs(self.catalog, self.catalog.items[r.item], r.data, now.date(), self.rng),
            )
            for event_id, r in due[: max(limit, 0)]
        ]

    def done(self, event_ids: Sequence[str]) -> None:
        """The platform collected these answers: they are not handed over again."""
        self.answered.update(event_ids)

    def duplicate_deliveries(self) -> int:
        """How many cases it received more than once (under different event ids)."""
        received = Counter(r.case_id for r in self.inbox.values())
        return sum(1 for count in received.values() if count > 1)
