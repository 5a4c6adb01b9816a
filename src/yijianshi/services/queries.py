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
from yijianshi.domain.cases import Application, Case, Colour
from yijianshi.domain.catalog import Text
from yijianshi.services.access import MinimisedCase, Refused, department_case, minimised, owned_application
from yijianshi.services.account_ports import ApplicationRow
from yijianshi.services.applications import ApplicationServices
from yijianshi.services.ports import AuditRecord, UnitOfWork

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
class CaseDetail:
    application_id: str
    bundle: str
    case: CaseView
    minimised: MinimisedCase


def case_view(services: ApplicationServices, case: Case, today: dt.date) -> CaseView:
    catalog = services.catalog
    item, department = catalog.items[case.item], catalog.departments[case.department]
    return CaseView(case.id, case.item, item.name, case.department, department.name, case.state.value,
                    case.promised_days, case.deadline(services.calendar, today),
                    case.colour(services.calendar, today), dict(case.outputs), case.reason,
                    case.deferrable, case.deferred)


def _record_read(uow: UnitOfWork, application_id: str, actor: Principal, result: str, now: dt.datetime,
                 subject: str | None = None, **data: Any) -> None:
    uow.audit.record(application_id, [AuditRecord(
        READ, now, actor.actor, subject, {"result": result, "role": actor.role.value, **data},
        purpose=PURPOSES[actor.role])])


def applications_of(services: ApplicationServices, applicant: str) -> list[ApplicationRow]:
    """The applicant's applications, newest first (no personal data)."""
    with services.unit_of_work() as uow:
        return uow.reads.applications_of(applicant)


def application_view(services: ApplicationServices, actor: Principal, applicant: str,
                     application_id: str) -> ApplicationView:
    """One application with every item's state and deadline and the form data; the read is
    audited. Refused(404) unless `applicant` submitted it."""
    now = services.clock.now()
    with services.unit_of_work() as uow:
        try:
            application, row = owned_application(uow, application_id, applicant)
        except Refused:
            if uow.reads.row(application_id) is not None:
                _record_read(uow, application_id, actor, "refused", now)
                uow.commit()
            raise
        _record_read(uow, application_id, actor, "shown", now, on_behalf_of=applicant)
        uow.commit()
    return _view(services, application, row, now.date())


def _view(services: ApplicationServices, application: Application, row: ApplicationRow,
          today: dt.date) -> ApplicationView:
    cases = [case_view(services, c, today) for c in application.cases.values()]
    return ApplicationView(row, services.catalog.bundles[row.bundle].name, cases, dict(application.data))


def worklist(services: ApplicationServices, department: str, state: str | None = None,
             colour: Colour | None = None) -> list[WorkItem]:
    """The department's cases (sent or later), most urgent deadline first, filtered by state and
    deadline colour."""
    today = services.clock.today()
    with services.unit_of_work() as uow:
        found = uow.reads.cases_of_department(department)
    items = [WorkItem(row.id, row.bundle, row.submitted_at,
                      dataclasses.replace(case_view(services, case, today), outputs={}))  # detail shows them
             for row, case in found if state is None or case.state.value == state]
    if colour is not None:
        items = [w for w in items if w.case.colour is colour]
    return sorted(items, key=lambda w: (w.case.deadline or dt.date.max, w.submitted_at))


def case_detail(services: ApplicationServices, actor: Principal, case_id: str) -> CaseDetail:
    """A case of the actor's department with only its item's data; the read is audited.
    Refused(404) for a case of another department, as for one that does not exist."""
    now = services.clock.now()
    with services.unit_of_work() as uow:
        try:
            application, case = department_case(uow, case_id, actor.department or "")
        except Refused:
            owner = uow.applications.get_many_by_cases([case_id]).get(case_id)
            if owner is not None:
                _record_read(uow, owner.id, actor, "refused", now, subject=case_id)
                uow.commit()
            raise
        shown = minimised(services.catalog, application, case)
        _record_read(uow, application.id, actor, "shown", now, subject=case_id, fields=sorted(shown.fields))
        uow.commit()
    return CaseDetail(application.id, application.bundle, case_view(services, case, now.date()), shown)
