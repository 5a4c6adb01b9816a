"""Ports of uploaded materials and of the pages' drafts, and the names they share.

A material is named by its key (`domain.catalog.MaterialKey`): `<certificate type>:<subject>` for
a material of a certificate type (the mother's ID card is `resident_id_card:mother`), `name:<zh
name>` for a free-text one, so that the same material asked for by several items of a plan is one
key.

An upload is stored with its bytes, checked by content and size, and belongs to its applicant
until the submission that uses it attaches it to the application, in the same transaction:

    uploaded (application_id NULL) ──submitted──► attached to the application (kept)
        │
        └──removed by the applicant──► gone
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Protocol

from yijianshi.domain.cases import Application, Case
from yijianshi.domain.planning import Plan
from yijianshi.services.errors import DuplicateSubmission as DuplicateSubmission  # add, add_many raise it
from yijianshi.services.unit_of_work import Write


class Drives(Protocol):
    """What moves applications on until nothing is left to do (the delivery area's worker)."""

    def run_until_idle(self, idle: Callable[[], bool] | None = None, limit: int = 100000) -> None: ...


class ApplicantFactory(Protocol):
    """Makes up applicants' form values (for simulations and load tests)."""

    def form_values(self, plan: Plan, today: dt.date) -> dict[str, str]: ...


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
class ApplicationRow:
    """An application as lists show it, without its data."""

    id: str
    bundle: str
    applicant: str
    status: str
    submitted_at: dt.datetime
    version: int = 0  # moves on with every change to the application or its cases


class ApplicationReads(Protocol):
    """Read queries over applications and cases, inside one unit of work."""

    def row(self, application_id: str) -> ApplicationRow | None: ...

    def applications_of(self, applicant: str) -> list[ApplicationRow]:
        """The applicant's applications, newest first."""
        ...

    def all_rows(self) -> list[ApplicationRow]: ...

    def cases_of_department(self, department: str) -> list[tuple[ApplicationRow, Case]]:
        """Every case of `department` that reached it (sent or later), with its application."""
        ...

    def all_cases(self) -> list[tuple[ApplicationRow, Case]]: ...


@dataclass(frozen=True, slots=True)
class Upload:
    """An uploaded material (上传的申请材料), without its bytes."""

    id: str
    applicant: str
    material: str  # the material's key (MaterialKey)
    filename: str
    content_type: str  # as found in the content: application/pdf, image/jpeg, image/png
    size: int  # bytes
    sha256: str
    uploaded_by: str  # the actor: the applicant, or a window clerk for them
    created_at: dt.datetime
    application_id: str | None = None  # set by the submission that uses it


@dataclass(frozen=True, slots=True)
class Draft:
    """An application in progress on the pages (草稿), one per applicant and bundle: what was
    answered and typed so far, the uploads chosen, and the idempotency key of its submission."""

    applicant: str
    bundle: str
    answers: Mapping[str, str] = field(default_factory=dict)
    people: Mapping[str, str] = field(default_factory=dict)
    values: Mapping[str, str] = field(default_factory=dict)
    materials: Mapping[str, str] = field(default_factory=dict)  # material key -> upload id
    steps: frozenset[str] = frozenset()  # steps completed: people, form, materials
    idempotency_key: str = ""
    updated_at: dt.datetime | None = None


class Uploads(Protocol):
    """Uploaded materials, inside one unit of work."""

    def add(self, upload: Upload, content: bytes) -> None: ...

    def get(self, upload_id: str) -> Upload | None: ...

    def content(self, upload_id: str) -> bytes | None: ...

    def remove(self, upload_id: str, applicant: str) -> bool:
        """Delete an upload of `applicant` not yet attached to an application; False if none."""
        ...

    def attach(self, attachments: Sequence[tuple[str, str, Mapping[str, str]]]) -> None:
        """Attach uploads to applications: (application id, applicant, material key -> upload
        id). Each upload must be the applicant's, of that material and not attached yet; raise
        services.errors.UploadsUnavailable (the caller's transaction is then rolled back)
        otherwise."""
        ...

    def of_application(self, application_id: str) -> list[Upload]: ...

    def expire(self, before: dt.datetime) -> list[Upload]:
        """Delete the uploads attached to no application, made before `before`, of applicants
        who have no draft any more; return them (without their content)."""
        ...


class Drafts(Protocol):
    """The pages' drafts, inside one unit of work."""

    def get(self, applicant: str, bundle: str) -> Draft | None: ...

    def put(self, draft: Draft) -> None:
        """Store the draft (replacing the applicant's draft of the bundle), `updated_at` set."""
        ...

    def delete(self, keys: Sequence[tuple[str, str]]) -> None:
        """Delete the drafts of (applicant, bundle), if any."""
        ...

    def expire(self, before: dt.datetime) -> list[Draft]:
        """Delete the drafts last changed before `before`; return them."""
        ...
