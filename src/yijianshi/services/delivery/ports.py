"""What the service layer needs to deliver cases to departments: the outbox and the gateways.

A dispatch is written to the outbox in the transaction of the state change that caused it; the
worker hands due dispatches to the department gateway and records each outcome:

    pending ──(delivered)──► delivered
       │ ▲
       │ └──(failed, budget left: retried after a backoff)
       └──(failed, budget used)──► dead-lettered ──(an administrator replays it)──► pending
"""

from __future__ import annotations

import datetime as dt
import zlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias

from yijianshi.domain.cases import Application, Case
from yijianshi.domain.catalog import Catalog
from yijianshi.services.context import Context
from yijianshi.services.unit_of_work import UnitOfWork, Write

SHARDS = 1 << 12  # shards an application can fall in; a partition is a set of them


def shard_of(application_id: str) -> int:
    """The shard of an application: stable across processes and versions (CRC-32 of its id)."""
    return zlib.crc32(application_id.encode("utf-8")) % SHARDS


@dataclass(frozen=True, slots=True)
class Partition:
    """The share of the work one of `count` workers takes: the dispatches and answers of
    applications whose shard is `index` modulo `count`. Each application's work stays with one
    worker, so workers running side by side never contend for the same application."""

    index: int = 0
    count: int = 1

    def __post_init__(self) -> None:
        if not 0 <= self.index < self.count:
            raise ValueError(f"partition {self.index} of {self.count} does not exist")

    @property
    def whole(self) -> bool:
        return self.count == 1


EVERYTHING = Partition()


@dataclass(frozen=True, slots=True)
class Dispatch:
    """A case sent to its department: the event a department gateway delivers.

    `data` holds only the data elements the item declares (field-level minimisation).
    """

    event_id: str
    application_id: str
    case_id: str
    item: str
    department: str
    data: Mapping[str, Any]
    created_at: dt.datetime
    attempts: int = 0  # delivery attempts so far


@dataclass(frozen=True, slots=True)
class FailedDelivery:
    """A failed attempt to record: the dispatch is retried at `retry_at`, or, when that is None,
    dead-lettered (no more automatic attempts)."""

    event_id: str
    attempts: int  # attempts so far, this one included
    error: str
    retry_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class DeadLetter:
    """A dispatch that used its retry budget without being delivered (死信), for an administrator
    to look into and replay."""

    event_id: str
    application_id: str
    case_id: str
    item: str
    department: str
    attempts: int
    last_error: str
    dead_lettered_at: dt.datetime
    created_at: dt.datetime


class Outbox(Protocol):
    """Dispatches written in the transaction of the state change that caused them."""

    def add(self, dispatches: Sequence[Dispatch]) -> None: ...

    def prepare_add(self, dispatches: Sequence[Dispatch]) -> Write:
        """`add`, prepared (see Write)."""
        ...

    def pending(self, limit: int, now: dt.datetime, partition: Partition = EVERYTHING) -> list[Dispatch]:
        """Undelivered dispatches of `partition` due by `now` (new, or whose retry time has
        come), earliest due first; never a dead-lettered one."""
        ...

    def mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> None: ...

    def prepare_mark_delivered(self, event_ids: Sequence[str], at: dt.datetime) -> Write:
        """`mark_delivered`, prepared (see Write)."""
        ...

    def mark_failed(self, failures: Sequence[FailedDelivery], at: dt.datetime) -> None:
        """Record failed attempts, all in one statement; a failure without a retry time is
        dead-lettered `at`."""
        ...

    def dead_letters(self, department: str | None = None, event_id: str | None = None) -> list[DeadLetter]:
        """Dead-lettered dispatches (of one department, or the one with `event_id`), oldest
        dead letter first."""
        ...

    def replay(self, event_ids: Sequence[str], at: dt.datetime) -> None:
        """Make dead letters pending again, due `at`; their attempts are kept."""
        ...


@dataclass(frozen=True, slots=True)
class DeliveryOutcome:
    """What became of one dispatch handed to a gateway: delivered, or failed with a reason."""

    event_id: str
    error: str | None = None  # None: the department has it; else why not, for an administrator

    @property
    def delivered(self) -> bool:
        return self.error is None


class DepartmentGateway(Protocol):
    """Delivers dispatches to department systems; idempotent by event id."""

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        """Try to deliver every dispatch (in order); return one outcome per dispatch, in the same
        order. A department out of reach is a failed outcome, not an exception; a dispatch
        delivered before is delivered again harmlessly (the department dedupes by event id)."""
        ...


@dataclass(frozen=True, slots=True)
class DepartmentAnswer:
    """A department's decision on a case it received: accepted and completed with outputs."""

    event_id: str
    case_id: str
    outputs: Mapping[str, Any]


class AnsweringDepartment(Protocol):
    """A department whose answers the platform collects (the simulated one)."""

    def due(self, limit: int, partition: Partition = EVERYTHING) -> list[DepartmentAnswer]:
        """Answers due on cases of `partition`'s applications, at most `limit`."""
        ...

    def done(self, event_ids: Sequence[str]) -> None: ...

    def duplicate_deliveries(self) -> int:
        """How many cases it received more than once (under different event ids)."""
        ...


def dispatch(
    catalog: Catalog,
    application: Application,
    ready: Iterable[Case],
    now: dt.datetime,
    ids: Callable[[], str],
) -> list[Dispatch]:
    """Mark `ready` cases sent and return their dispatches, each with only its item's fields."""
    dispatches = []
    values = application.data
    for case in ready:
        case.dispatch(now)
        data = {f.key: values[f.key] for f in catalog.items[case.item].fields if f.key in values}
        dispatches.append(Dispatch(ids(), application.id, case.id, case.item, case.department, data, now))
    return dispatches


@dataclass(frozen=True, slots=True)
class AnswerCases:
    """Command: apply departments' `answers` (case id, outputs) as `actor`, in one transaction with
    the writes `also` prepares. The worker makes it, the cases area's `answer_cases` carries it
    out: it lives here, in the port between them."""

    answers: Sequence[tuple[str, Mapping[str, Any]]]
    actor: str = "system"
    also: Callable[[UnitOfWork], Sequence[Write]] | None = None


AnswerHandler: TypeAlias = Callable[[Context, AnswerCases], None]
"""Carries out AnswerCases (the cases area's `answer_cases`): what the worker hands collected
answers to."""

Upkeep: TypeAlias = Callable[[Context], object]
"""A step the worker runs now and then besides delivering (recording time limits, deleting
expired drafts): a use case with its command bound."""
