"""The worker's loop: deliver dispatches, collect departments' answers, check time limits.

Every step commits before the next begins; a worker killed at any line loses nothing and
repeats nothing that has an effect (deliveries are idempotent by event id, and an answer
already applied is recognised).

Workers may run side by side, each on its own `Partition` of the applications (by a hash of the
application id): each delivers and collects answers only for its own, so they never contend for
an application. The first partition also checks time limits, for every application, and deletes
the pages' drafts left unsubmitted too long: its upkeep steps, given by bootstrap.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from yijianshi.services.context import Context
from yijianshi.services.delivery.dispatching import (
    DEFAULT_RETRIES,
    DeliverDue,
    Deliveries,
    RecordDeliveries,
    RetryPolicy,
    deliver_due,
    record_deliveries,
)
from yijianshi.services.delivery.ports import (
    EVERYTHING,
    AnswerCases,
    AnswerHandler,
    AnsweringDepartment,
    DepartmentGateway,
    Partition,
    Upkeep,
)


@dataclass
class Worker:
    """Delivers dispatches through `gateway`, hands the answers `answering` has to `answer` (the
    cases area applies them), and, on the first partition, runs each `upkeep` step at most every
    `upkeep_every_s` seconds (bootstrap.assemble_worker gives the deployment's: time limits and
    the expiry of drafts)."""

    context: Context
    gateway: DepartmentGateway
    answering: AnsweringDepartment | None = None
    answer: AnswerHandler | None = None  # required with `answering`
    upkeep: Sequence[Upkeep] = ()
    batch: int = 200
    upkeep_every_s: float = 60.0
    retries: RetryPolicy = DEFAULT_RETRIES
    partition: Partition = EVERYTHING
    _upkept: float = field(default=float("-inf"), repr=False)
    _deliver: DeliverDue = field(init=False, repr=False)

    def __post_init__(self) -> None:
        if self.answering is not None and self.answer is None:
            raise ValueError("a worker that collects answers needs `answer` to apply them")
        self._deliver = DeliverDue(self.batch, self.retries, self.partition)

    def run_once(self) -> int:
        """One round; return how many things it did (0 when idle).

        The round's deliveries are recorded in the transaction that applies its answers (one
        commit fewer per round); a round without answers records them alone.
        """
        deliveries = deliver_due(self.context, self._deliver, self.gateway)
        try:
            answered = self._collect_answers(self.answering, deliveries) if self.answering else 0
        except Exception:
            if deliveries.tried:  # the answers failed; what was delivered stays delivered
                record_deliveries(self.context, RecordDeliveries(deliveries))
            raise
        if deliveries.tried and not answered:
            record_deliveries(self.context, RecordDeliveries(deliveries))
        if self.partition.index == 0 and time.monotonic() - self._upkept >= self.upkeep_every_s:
            self._upkept = time.monotonic()
            for step in self.upkeep:  # not counted as work: an idle worker stays idle
                step(self.context)
        return deliveries.tried + answered

    def _collect_answers(self, department: AnsweringDepartment, deliveries: Deliveries) -> int:
        answers = department.due(self.batch, self.partition)
        if answers:
            assert self.answer is not None  # checked on creation
            self.answer(
                self.context,
                AnswerCases(
                    [(a.case_id, a.outputs) for a in answers],
                    "department",
                    deliveries.prepare if deliveries.tried else None,
                ),
            )
            department.done([a.event_id for a in answers])
        return len(answers)

    def run_until_idle(self, idle: Callable[[], bool] | None = None, limit: int = 100000) -> None:
        """Run rounds until a round does nothing (and `idle()` agrees), at most `limit` rounds."""
        for _ in range(limit):
            if self.run_once() == 0 and (idle is None or idle()):
                return
