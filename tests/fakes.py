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
from typing import Any

from tests.clock import FixedClock
from yijianshi.adapters.calendar_schedule import chinese_working_calendar
from yijianshi.adapters.catalog_files.loader import FileCatalogSource
from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.memory.database import MemoryDatabase
from yijianshi.adapters.memory.departments import MemoryDepartment
from yijianshi.adapters.memory.registers import MemoryRegisters as MemoryRegisters  # moved to src
from yijianshi.adapters.memory.unit_of_work import memory_unit_of_work
from yijianshi.adapters.synthetic_people import SyntheticPeople
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.cases import Case
from yijianshi.domain.catalog import Catalog
from yijianshi.domain.certificate_documents import FORMAT, from_document, signed_document
from yijianshi.domain.certificates import SignedCertificate
from yijianshi.domain.planning import Holdings, build_plan
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.domain.registers import Purpose
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.catalogue.checking import load_valid_catalog
from yijianshi.services.catalogue.ports import InputFileError
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


def clock_of(context: Context) -> FixedClock:
    """The context's clock, to move by hand: `clock_of(context).moment += dt.timedelta(days=1)`."""
    assert isinstance(context.clock, FixedClock)
    return context.clock


# A birth (新生儿出生一件事) of the sample catalogue: the hospital's birth medical certificate
# first; then vaccination, household registration (police: the child's ID number), insurance, ...
HOSPITAL_OUTPUTS = {
    "child.birth_medical_certificate_no": "Q330381260001",
    "child.birth_date": "2026-03-01T08:30:00",
    "child.sex": "1",
    "child.birth_place": "浙江省温州市瑞安市",
}
CHILD_ID = "330381202603010010"


def submit_birth(context: Context, applicant: str = "parent-1", key: str = "key-1") -> str:
    """Submit a birth with synthetic form values (the same each time); return its id."""
    today = context.clock.today()
    plan = build_plan(
        context.catalog, context.catalog.bundles["birth"], {}, Holdings(), context.calendar, today
    )
    values = SyntheticPeople(context.catalog, seed=0).form_values(plan, today)
    return submit_application(context, SubmitApplication("birth", applicant, key, values)).application_id


def case_of(context: Context, application_id: str, item: str) -> Case:
    """The application's case of `item`, as stored now."""
    with context.unit_of_work() as uow:
        application = uow.applications.get(application_id)
    assert application is not None
    return next(c for c in application.cases.values() if c.item == item)


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
    lookup as (id number, subject, purpose).

    A stub with canned answers, not a fake: it may answer any data element (an employer's name,
    which no local register holds), so it stands for no adapter and has no contract test. For
    the local registers themselves, seeded with residents, use MemoryRegisters."""

    def __init__(self, people: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self.people = {code: dict(values) for code, values in (people or {}).items()}
        self.asked: list[tuple[str, str, str]] = []

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        self.asked.append((id_number, subject, purpose.text))
        known = self.people.get(id_number, {})
        return {key: known[key] for key in keys if key in known}


class AnsweringDepartments(MemoryDepartment):
    """Every department of `catalog`, in memory (adapters/memory/departments.py, held to the
    simulated department by tests/contracts), answering each case `delay` after it arrived by
    `clock`, with outputs from a random source seeded with `seed`."""

    def __init__(
        self,
        catalog: Catalog,
        clock: FixedClock,
        delay: dt.timedelta = dt.timedelta(0),
        seed: int = 0,
    ) -> None:
        super().__init__(catalog, clock.now, delay, seed)


class MemoryCertificateFiles:
    """Signed certificate files in memory: each location holds the JSON document a file would
    (so a test may change a field of it by hand); reading refuses what the real files refuse."""

    def __init__(self) -> None:
        self.documents: dict[str, dict[str, Any]] = {}

    def write(self, location: str, signed: SignedCertificate) -> None:
        self.documents[location] = signed_document(signed)

    def read(self, location: str) -> SignedCertificate:
        document = self.documents.get(location)
        if document is None:
            raise InputFileError(
                [Problem(Line(location, 1), untranslated("cannot be read: No such file or directory"))]
            )
        signature = document.get("signature")
        certificate = document.get("certificate")
        if document.get("format") != FORMAT or not isinstance(certificate, Mapping):
            raise InputFileError(
                [Problem(Line(location, 1), untranslated("is not a signed certificate file"))]
            )
        if not isinstance(signature, Mapping):
            raise InputFileError(
                [Problem(Line(location, 1), untranslated("is not a signed certificate file"))]
            )
        return SignedCertificate(
            from_document(certificate), signature["key_id"], signature["value"], signature["algorithm"]
        )
