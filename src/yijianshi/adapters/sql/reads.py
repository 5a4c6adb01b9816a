"""Read queries over applications and cases, on the unit of work's connection."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, select

from yijianshi.adapters.sql.applications import case_from_row
from yijianshi.adapters.sql.tables import applications, cases
from yijianshi.adapters.sql.times import utc
from yijianshi.domain.cases import Case, CaseState
from yijianshi.services.applications.ports import ApplicationRow

_ROW = (
    applications.c.id,
    applications.c.bundle,
    applications.c.applicant,
    applications.c.status,
    applications.c.submitted_at,
    applications.c.version,
)
_UNSENT = [CaseState.WAITING.value, CaseState.READY.value]


def _row(row: Any) -> ApplicationRow:
    return ApplicationRow(row.id, row.bundle, row.applicant, row.status, utc(row.submitted_at), row.version)


class SqlApplicationReads:
    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def row(self, application_id: str) -> ApplicationRow | None:
        found = self.connection.execute(select(*_ROW).where(applications.c.id == application_id)).first()
        return _row(found) if found else None

    def applications_of(self, applicant: str) -> list[ApplicationRow]:
        return [
            _row(r)
            for r in self.connection.execute(
                select(*_ROW)
                .where(applications.c.applicant == applicant)
                .order_by(applications.c.submitted_at.desc(), applications.c.id)
            )
        ]

    def all_rows(self) -> list[ApplicationRow]:
        return [_row(r) for r in self.connection.execute(select(*_ROW).order_by(applications.c.submitted_at))]

    def cases_of_department(self, department: str) -> list[tuple[ApplicationRow, Case]]:
        found = self._cases(cases.c.department == department, cases.c.state.not_in(_UNSENT))
        return [(row, case) for row, case in found if case.reached_department]

    def all_cases(self) -> list[tuple[ApplicationRow, Case]]:
        return self._cases()

    def _cases(self, *where: Any) -> list[tuple[ApplicationRow, Case]]:
        query = (
            select(cases, *(c.label(f"app_{c.name}") for c in _ROW))
            .join(applications, applications.c.id == cases.c.application_id)
            .where(*where)
            .order_by(applications.c.submitted_at, cases.c.position)
        )
        return [
            (
                ApplicationRow(
                    r.app_id,
                    r.app_bundle,
                    r.app_applicant,
                    r.app_status,
                    utc(r.app_submitted_at),
                    r.app_version,
                ),
                case_from_row(r),
            )
            for r in self.connection.execute(query)
        ]
