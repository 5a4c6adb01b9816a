"""Read queries for the API and the pages: applications, worklists, case detail, statistics.

Reads of personal data (an application's form data, a case's minimised data) are written to the
application's audit trail before they are returned, with the actor, the purpose and the result;
a refused read of an existing application is recorded too.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from typing import Any

from yijianshi.domain.accounts import Principal, Role
from yijianshi.domain.audit import AuditRecord
from yijianshi.domain.bundles import BundleItem
from yijianshi.domain.cases import Application, Case, Colour
from yijianshi.domain.catalog import Necessity
from yijianshi.domain.planning import Holdings, Plan, ResolvedMaterial, Source, build_plan
from yijianshi.domain.text import Text
from yijianshi.services.access import (
    MinimisedCase,
    department_case,
    minimised,
    owned_application,
)
from yijianshi.services.applications.ports import ApplicationRow
from yijianshi.services.context import Context
from yijianshi.services.errors import NotFound, UnreadableAuditEntry
from yijianshi.services.unit_of_work import UnitOfWork, retried_on_conflict

READ = "org.yijianshi.personal_data.read"
PURPOSES = {
    Role.APPLICANT: "申请人查看本人申请 (the applicant views their own application)",
    Role.CLERK: "窗口代办，为申请人查看 (a window clerk assisting the applicant)",
    Role.DEPARTMENT: "办理本部门事项 (the department handles its case)",
    Role.ADMIN: "管理 (administration)",
}


@dataclass(frozen=True, slots=True)
class CaseView:
    """One item of an application as its applicant and its department see it."""

    id: str
    item: str
    name: Text
    department: str
    department_name: Text
    state: str
    promised_days: int
    deadline: dt.date | None
    colour: Colour
    outputs: dict[str, Any]
    reason: Text | None
    deferrable: bool
    deferred: bool


@dataclass(frozen=True, slots=True)
class ApplicationView:
    row: ApplicationRow
    bundle_name: Text
    cases: list[CaseView]
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class WorkItem:
    """A line of a department's worklist: no personal data."""

    application_id: str
    bundle: str
    submitted_at: dt.datetime
    case: CaseView


@dataclass(frozen=True, slots=True)
class CaseEntry:
    """A change of one case as its audit trail records it: `type` is the change (`accepted`,
    `supplement_requested`, `completed`, ...), `data` what the trail keeps of it (reasons, the
    names of outputs; no personal values)."""

    type: str
    at: dt.datetime
    actor: str
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class CaseDetail:
    application_id: str
    bundle: str
    case: CaseView
    minimised: MinimisedCase
    history: tuple[CaseEntry, ...] | None = ()  # oldest first; None when the trail cannot be read


def case_view(context: Context, case: Case, today: dt.date) -> CaseView:
    """How `case` shows on `today` (a view helper of the queries below, not a use case)."""
    catalog = context.catalog
    item, department = catalog.items[case.item], catalog.departments[case.department]
    return CaseView(
        case.id,
        case.item,
        item.name,
        case.department,
        department.name,
        case.state.value,
        case.promised_days,
        case.deadline(context.calendar, today),
        case.colour(context.calendar, today),
        dict(case.outputs),
        case.reason,
        case.deferrable,
        case.deferred,
    )


def _record_read(
    uow: UnitOfWork,
    application_id: str,
    actor: Principal,
    result: str,
    now: dt.datetime,
    subject: str | None = None,
    **data: Any,
) -> None:
    uow.audit.record(
        application_id,
        [
            AuditRecord(
                READ,
                now,
                actor.actor,
                subject,
                {"result": result, "role": actor.role.value, **data},
                purpose=PURPOSES[actor.role],
            )
        ],
    )


@dataclass(frozen=True, slots=True)
class ListApplications:
    """Command: list the applications `applicant` submitted."""

    applicant: str


def applications_of(context: Context, command: ListApplications) -> list[ApplicationRow]:
    """The applicant's applications, newest first (no personal data)."""
    with context.unit_of_work() as uow:
        return uow.reads.applications_of(command.applicant)


@dataclass(frozen=True, slots=True)
class ReadApplicationVersion:
    """Command: read how far `applicant`'s application `application_id` has moved on."""

    applicant: str
    application_id: str


def application_version(context: Context, command: ReadApplicationVersion) -> int | None:
    """How far the applicant's application has moved on (None if it is not theirs): a page that
    shows it asks this first, and reads the application again, an audited read, only when it moved.
    Nothing personal is read, so nothing is recorded."""
    with context.unit_of_work() as uow:
        row = uow.reads.row(command.application_id)
    return row.version if row is not None and row.applicant == command.applicant else None


@dataclass(frozen=True, slots=True)
class ViewApplication:
    """Command: `actor` (the applicant, or a clerk for them) views `applicant`'s application."""

    actor: Principal
    applicant: str
    application_id: str


@retried_on_conflict
def application_view(context: Context, command: ViewApplication) -> ApplicationView:
    """One application with every item's state and deadline and the form data; the read is
    audited. NotFound unless `applicant` submitted it."""
    actor, applicant, application_id = command.actor, command.applicant, command.application_id
    now = context.clock.now()
    with context.unit_of_work() as uow:
        try:
            application, row = owned_application(uow, application_id, applicant)
        except NotFound:
            if uow.reads.row(application_id) is not None:
                _record_read(uow, application_id, actor, "refused", now)
                uow.commit()
            raise
        _record_read(uow, application_id, actor, "shown", now, on_behalf_of=applicant)
        uow.commit()
    return _view(context, application, row, now.date())


def _view(context: Context, application: Application, row: ApplicationRow, today: dt.date) -> ApplicationView:
    cases = [case_view(context, c, today) for c in application.cases.values()]
    return ApplicationView(row, context.catalog.bundles[row.bundle].name, cases, dict(application.data))


@dataclass(frozen=True, slots=True)
class ListWorklist:
    """Command: list `department`'s cases; with `state` or `colour`, only those in that state or
    of that deadline colour."""

    department: str
    state: str | None = None
    colour: Colour | None = None


def worklist(context: Context, command: ListWorklist) -> list[WorkItem]:
    """The department's cases (sent or later), most urgent deadline first, filtered by state and
    deadline colour."""
    department, state, colour = command.department, command.state, command.colour
    today = context.clock.today()
    with context.unit_of_work() as uow:
        found = uow.reads.cases_of_department(department)
    items = [
        WorkItem(
            row.id,
            row.bundle,
            row.submitted_at,
            dataclasses.replace(case_view(context, case, today), outputs={}),
        )  # detail shows them
        for row, case in found
        if state is None or case.state.value == state
    ]
    if colour is not None:
        items = [w for w in items if w.case.colour is colour]
    return sorted(items, key=lambda w: (w.case.deadline or dt.date.max, w.submitted_at))


@dataclass(frozen=True, slots=True)
class ViewCase:
    """Command: department staff `actor` views case `case_id` of their department."""

    actor: Principal
    case_id: str


@retried_on_conflict
def case_detail(context: Context, command: ViewCase) -> CaseDetail:
    """A case of the actor's department with only its item's data; the read is audited.
    NotFound for a case of another department, as for one that does not exist."""
    actor, case_id = command.actor, command.case_id
    now = context.clock.now()
    with context.unit_of_work() as uow:
        try:
            application, case = department_case(uow, case_id, actor.department or "")
        except NotFound:
            owner = uow.applications.get_many_by_cases([case_id]).get(case_id)
            if owner is not None:
                _record_read(uow, owner.id, actor, "refused", now, subject=case_id)
                uow.commit()
            raise
        shown = minimised(context.catalog, application, case, uow.uploads.of_application(application.id))
        _record_read(uow, application.id, actor, "shown", now, subject=case_id, fields=sorted(shown.fields))
        history = _case_history(uow, application.id, case_id)
        uow.commit()
    return CaseDetail(
        application.id, application.bundle, case_view(context, case, now.date()), shown, history
    )


_CASE_EVENT = "org.yijianshi.case."


def _case_history(uow: UnitOfWork, application_id: str, case_id: str) -> tuple[CaseEntry, ...] | None:
    """The case's state changes from the application's trail (reads of it left out); None when
    an entry of the trail is unreadable (it was edited: `yijianshi audit verify` says where)."""
    try:
        log = uow.audit.log(application_id)
    except UnreadableAuditEntry:
        return None
    return tuple(
        CaseEntry(e.type.removeprefix(_CASE_EVENT), e.time, e.actor, dict(e.data))
        for e in log
        if e.subject == case_id and e.type.startswith(_CASE_EVENT)
    )


@dataclass(frozen=True, slots=True)
class Receipt:
    """What a receipt of acceptance (受理回执) states about an application.

    `due`: per case id, the day its promised limit runs out once accepted, else the day the plan
    expects it done, counted in working days from the day of submission (those are in `expected`);
    None for a case that will not complete (rejected, blocked, withdrawn). `completion`: the day
    the plan expects every item done. `bring`: the materials the applicant still brings (required,
    or allowed to follow later: 容缺后补) because no item produces them, no shared register holds
    them and nothing was uploaded for them; wallets are not read for a receipt, so a valid
    electronic certificate the applicant holds still stands in for its material (the receipt says
    so). `received`: the materials uploaded with the application."""

    view: ApplicationView
    due: dict[str, dt.date | None]
    expected: frozenset[str]
    completion: dt.date
    bring: tuple[ResolvedMaterial, ...]
    received: tuple[ResolvedMaterial, ...] = ()


_WILL_NOT_COMPLETE = {"rejected", "blocked", "withdrawn"}


@dataclass(frozen=True, slots=True)
class ViewReceipt:
    """Command: `actor` (the applicant, or a clerk for them) views the receipt of acceptance of
    `applicant`'s application."""

    actor: Principal
    applicant: str
    application_id: str


def receipt(context: Context, command: ViewReceipt) -> Receipt:
    """The receipt of `applicant`'s application; the read is audited as `application_view`'s.
    NotFound unless `applicant` submitted it."""
    view = application_view(
        context, ViewApplication(command.actor, command.applicant, command.application_id)
    )
    plan = _submitted_plan(context, view)
    planned = {
        item.code: context.calendar.add_working_days(plan.start, item.finishes_after_days).date
        for item in plan.items
    }
    due: dict[str, dt.date | None] = {}
    for case in view.cases:
        due[case.id] = None if case.state in _WILL_NOT_COMPLETE else case.deadline or planned.get(case.item)
    expected = frozenset(c.id for c in view.cases if c.deadline is None and due[c.id] is not None)
    with context.unit_of_work() as uow:
        uploaded = {u.material for u in uow.uploads.of_application(command.application_id)}
    asked = [m for m in plan.materials if m.source is Source.APPLICANT]
    received = tuple(m for m in asked if m.key in uploaded)
    bring = tuple(m for m in asked if m not in received and m.necessity is not Necessity.OPTIONAL)
    return Receipt(view, due, expected, plan.completion.date, bring, received)


def _submitted_plan(context: Context, view: ApplicationView) -> Plan:
    """The plan of exactly the items the application has (its answers chose them), from the day
    it was submitted in China Standard Time."""
    bundle = context.catalog.bundles[view.row.bundle]
    present = {c.item for c in view.cases}
    only = dataclasses.replace(
        bundle,
        questions=(),
        items=tuple(BundleItem(entry.item) for entry in bundle.items if entry.item in present),
    )
    start = view.row.submitted_at.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    return build_plan(context.catalog, only, {}, Holdings(), context.calendar, start)
