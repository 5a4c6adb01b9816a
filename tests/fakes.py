"""A use case's context on fakes, for unit tests: the sample catalogue, a clock set by hand,
predictable ids and the in-memory unit of work (adapters/memory, held to the SQL adapters by
tests/contracts). No file, database or network is touched after the catalogue is read once.

    context = fake_context()                  # 2026-03-02 09:30 in China, ids id-000001, ...
    submit_application(context, SubmitApplication(...))
    context.clock.moment += dt.timedelta(days=3)
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
from collections.abc import Callable, Collection, Mapping, Sequence

from tests.clock import FixedClock
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.memory.database import MemoryDatabase
from yijianshi.adapters.memory.unit_of_work import memory_unit_of_work
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.registers import Purpose
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.context import Context, Policy
from yijianshi.services.delivery.ports import DeliveryOutcome, Dispatch
from yijianshi.settings import sample_catalog_dir

NOW = dt.datetime(2026, 3, 2, 9, 30, tzinfo=dt.timezone(dt.timedelta(hours=8)))  # a Monday


@functools.cache
def sample_catalog() -> Catalog:
    """The sample catalogue (src/yijianshi/sample_catalog), read once per test session."""
    return load_valid_catalog(FileCatalogSource(), str(sample_catalog_dir()))


@functools.cache
def sample_calendar() -> WorkingCalendar:
    return chinese_working_calendar()


def counting_ids(prefix: str = "id") -> Callable[[], str]:
    """Ids `id-000001`, `id-000002`, ... in the order they are asked for (thread-safe)."""
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers):06d}"


def fake_context(
    now: dt.datetime = NOW,
    catalog: Catalog | None = None,
    calendar: WorkingCalendar | None = None,
    policy: Policy | None = None,
    database: MemoryDatabase | None = None,
) -> Context:
    """A context on a new in-memory database (or `database`), its clock a FixedClock at `now`.
    The context's ids also name the audit trail's entries, so a test run is repeatable."""
    ids = counting_ids()
    return Context(
        catalog or sample_catalog(),
        calendar or sample_calendar(),
        memory_unit_of_work(database or MemoryDatabase(), ephemeral_keys(), ids),
        FixedClock(now),
        ids,
        policy or Policy(),
    )


class RecordingGateway:
    """A DepartmentGateway that keeps what it is handed, and fails for the departments in
    `unreachable` (an outcome with an error, as an unreachable department is)."""

    def __init__(self, unreachable: Sequence[str] = ()) -> None:
        self.unreachable = set(unreachable)
        self.delivered: list[Dispatch] = []

    def deliver_many(self, dispatches: Sequence[Dispatch]) -> list[DeliveryOutcome]:
        outcomes = []
        for d in dispatches:
            if d.department in self.unreachable:
                outcomes.append(DeliveryOutcome(d.event_id, f"department {d.department} is unreachable"))
            else:
                self.delivered.append(d)
                outcomes.append(DeliveryOutcome(d.event_id))
        return outcomes


class DictRegisters:
    """Registers (services.sharing.ports) that know the people in `people`: resident ID number ->
    what the registers hold of them, keyed as data elements (`mother.name`). `asked` keeps every
    lookup as (id number, subject, purpose)."""

    def __init__(self, people: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.people = {code: dict(values) for code, values in (people or {}).items()}
        self.asked: list[tuple[str, str, str]] = []

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        self.asked.append((id_number, subject, purpose.text))
        known = self.people.get(id_number, {})
        return {key: known[key] for key in keys if key in known}
