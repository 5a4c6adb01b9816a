"""What the service layer needs from the outside world, as typed protocols."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Protocol

from yijianshi.domain.audit import AuditEvent, Head
from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.cases import Application, Case
from yijianshi.domain.catalog import Catalog, Ref
from yijianshi.domain.certificates import Certificate, Holder, SignedCertificate
from yijianshi.domain.issuance import Issue
from yijianshi.domain.planning import Holdings, Plan
from yijianshi.domain.registers import Purpose
from yijianshi.services.account_ports import ApplicationReads, Ratings
from yijianshi.services.delivery_ports import AnsweringDepartment as AnsweringDepartment
from yijianshi.services.delivery_ports import DepartmentAnswer as DepartmentAnswer
from yijianshi.services.delivery_ports import DepartmentGateway as DepartmentGateway
from yijianshi.services.delivery_ports import Dispatch as Dispatch
from yijianshi.services.delivery_ports import Outbox
from yijianshi.services.delivery_ports import Write as Write
from yijianshi.services.material_ports import Drafts, Uploads


@dataclass(frozen=True, slots=True, order=True)
class Finding:
    """One problem found in an input file, located for the person who must fix it."""

    file: str
    line: int
    message: str
    warning: bool = False

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {'warning: ' if self.warning else ''}{self.message}"


@dataclass(frozen=True, slots=True)
class LoadedCatalog:
    """A catalogue as read, with what was wrong in its files and a way to locate a Ref."""

    catalog: Catalog
    findings: tuple[Finding, ...]
    locate: Callable[[Ref], tuple[str, int]]
    unreadable: frozenset[tuple[str, str]] = frozenset()  # (kind, code) already reported


class InputFileError(Exception):
    """An input file could not be used; each finding says where and why."""

    def __init__(self, findings: list[Finding]) -> None:
        super().__init__("\n".join(str(f) for f in findings))
        self.findings = findings


class StorageUnavailable(Exception):
    """The database cannot be used: a URL of an unsupported kind, or a server out of reach."""


class ConcurrentUpdate(Exception):
    """Another transaction changed the application since it was read; retry the command."""

    def __init__(self, application_id: str) -> None:
        super().__init__(f"application {application_id} was changed concurrently")
        self.application_id = application_id


class ApplicantFactory(Protocol):
    """Makes up applicants' form values (for simulations and load tests)."""

    def form_values(self, plan: Plan, today: dt.date) -> dict[str, str]: ...


class CatalogSource(Protocol):
    """Reads a catalogue from where a government keeps it."""

    def load(self, location: str) -> LoadedCatalog:
        """Read everything at `location`; raise InputFileError when it is not a catalogue."""
        ...


class ApplicantInputs(Protocol):
    """Reads the answers and holdings an applicant supplies as files."""

    def answers(self, location: str) -> Mapping[str, str]:
        """Guidance answers: question code -> option code; raise InputFileError."""
        ...

    def holdings(self, location: str) -> Holdings:
        """Certificates held; raise InputFileError."""
        ...


class CalendarFactory(Protocol):
    def __call__(self) -> WorkingCalendar: ...


class Clock(Protocol):
    """The time, injected so that deadlines can be tested."""

    def today(self) -> dt.date: ...

    def now(self) -> dt.datetime:
        """Timezone-aware."""
        ...


class DuplicateSubmission(Exception):
    """An application with the same applicant and idempotency key already exists."""


class ApplicationRepository(Protocol):
    """Applications and their cases, inside one unit of work."""

    def add(self, application: Application, idempotency_key: str, submitted_at: dt.datetime) -> None:
        """Store a new application; raise DuplicateSubmission for a known idempotency key."""
        ...

    def add_many(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> None:
        """Store new applications (application, idempotency key, submitted at); raise
        DuplicateSubmission if any key is known, after which the unit of work is rolled back."""
        ...

    def prepare_add(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> Write:
        """`add_many`, prepared (see Write)."""
        ...

    def get(self, application_id: str) -> Application | None: ...

    def find_by_key(self, applicant: str, idempotency_key: str) -> str | None: ...

    def get_many_by_cases(self, case_ids: Sequence[str]) -> dict[str, Application]:
        """The applications owning `case_ids`, keyed by case id (one object per application)."""
        ...

    def running_cases(self, department: str | None = None) -> list[tuple[str, Case]]:
        """(application id, case) of every accepted case, and every case awaiting a supplement."""
        ...

    def save(self, application: Application) -> None:
        """Write back a loaded application; raise ConcurrentUpdate when it changed meanwhile."""
        ...

    def save_many(self, loaded: Sequence[Application]) -> None:
        """Write back loaded applications together; raise ConcurrentUpdate when any changed
        meanwhile (after which the unit of work is rolled back)."""
        ...

    def prepare_save(self, loaded: Sequence[Application]) -> Write:
        """`save_many`, prepared (see Write): the rows are made from the applications as they are
        now, so nothing may change them before the write runs."""
        ...


@dataclass(frozen=True, slots=True)
class AuditRecord:
    """An event to append to an application's audit trail (the store chains and hashes it)."""

    type: str
    time: dt.datetime
    actor: str
    subject: str | None = None
    data: Mapping[str, Any] = field(default_factory=dict)
    purpose: str = ""


class UnreadableAuditEntry(Exception):
    """A stored audit entry is not a well-formed event any more: it was edited by hand."""

    def __init__(self, index: int, event_id: str | None, reason: str) -> None:
        named = f"entry {index}" + (f" (id {event_id})" if event_id else "")
        super().__init__(f"{named} cannot be read: {reason}")
        self.index = index
        self.event_id = event_id


class AuditTrail(Protocol):
    """Per application, the append-only hash-chained log and its head, kept apart."""

    def record(self, application_id: str, records: Sequence[AuditRecord]) -> None: ...

    def record_many(self, records: Mapping[str, Sequence[AuditRecord]]) -> None:
        """Append to several applications' logs at once."""
        ...

    def prepare_many(self, records: Mapping[str, Sequence[AuditRecord]], new: bool = False) -> Write:
        """`record_many`, prepared (see Write): the heads are read and the entries sealed now.
        With `new`, the logs are known to be empty (applications made in this transaction): no
        head is read, and a log that has one after all makes the write raise ConcurrentUpdate."""
        ...

    def log(self, application_id: str) -> list[AuditEvent]:
        """The entries, oldest first; raise UnreadableAuditEntry for one that is malformed."""
        ...

    def head(self, application_id: str) -> Head | None: ...

    def application_ids(self) -> list[str]: ...


@dataclass(frozen=True, slots=True)
class SignedIssue:
    """A certificate to issue, signed: `text` is what was signed (`canonical_text`)."""

    issue: Issue
    signed: SignedCertificate
    text: str


class Wallet(Protocol):
    """Holders' electronic certificates (电子证照库), inside one unit of work."""

    def issue(self, issues: Sequence[Issue]) -> list[SignedCertificate]:
        """Sign and store each certificate in its holder's wallet; return those newly stored
        (one already stored, by identifier, is left as it is)."""
        ...

    def sign(self, issues: Sequence[Issue]) -> list[SignedIssue]:
        """Sign the certificates not stored yet (by identifier), each once; write nothing. With
        `store`, `issue` in two steps, so that a transaction can do its work before it writes."""
        ...

    def store(self, signed: Sequence[SignedIssue]) -> None:
        """Store certificates signed by `sign` in this unit of work (one stored meanwhile, by
        identifier, is left as it is)."""
        ...

    def prepare_store(self, signed: Sequence[SignedIssue]) -> Write:
        """`store`, prepared (see Write)."""
        ...

    def held_by(self, holder: Holder, certificate_type: str | None = None) -> list[Certificate]:
        """The holder's certificates, of one catalogue type or all, oldest first, each with the
        status the wallet records now."""
        ...

    def get(self, identifier: str) -> tuple[SignedCertificate, str] | None:
        """A certificate as signed, and the id of the application that issued it."""
        ...


class Registers(Protocol):
    """Shared registers (population, household, marriage, ...), queried by person."""

    def lookup(self, id_number: str, subject: str, keys: Collection[str], purpose: Purpose) -> dict[str, str]:
        """What the registers hold among `keys` about the resident, keyed as data elements of
        `subject` (see domain.registers); {} for a person they do not know."""
        ...


class UnitOfWork(Protocol):
    """One transaction: everything inside commits together or not at all."""

    @property
    def applications(self) -> ApplicationRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def audit(self) -> AuditTrail: ...

    @property
    def wallet(self) -> Wallet: ...

    @property
    def reads(self) -> ApplicationReads: ...

    @property
    def ratings(self) -> Ratings: ...

    @property
    def uploads(self) -> Uploads: ...

    @property
    def drafts(self) -> Drafts: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...
