"""Applications and their cases in SQL, written with set-based Core statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, insert, select, update
from sqlalchemy.exc import IntegrityError

from yijianshi.adapters.sql.tables import applications, cases
from yijianshi.domain.cases import Application, Case, CaseState, Colour, Pause
from yijianshi.domain.catalog import Text
from yijianshi.services.ports import ConcurrentUpdate, DuplicateSubmission


def _case_row(application_id: str, position: int, case: Case) -> dict[str, Any]:
    return {
        "id": case.id, "application_id": application_id, "position": position, "item": case.item,
        "department": case.department, "state": case.state.value,
        "promised_days": case.promised_days, "upstream": list(case.upstream),
        "deferrable": case.deferrable, "deferred": case.deferred, "accepted_on": case.accepted_on,
        "completed_on": case.completed_on,
        "pauses": [[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in case.pauses],
        "outputs": case.outputs, "reason_zh": case.reason.zh if case.reason else None,
        "reason_en": case.reason.en if case.reason else None, "warned": case.warned.value,
    }


def _snapshot(case: Case) -> tuple[Any, ...]:
    """What of a case can change, cheap to compare: a case is written back only if this did."""
    return (case.state, case.deferred, case.accepted_on, case.completed_on,
            [(p.start, p.end) for p in case.pauses], dict(case.outputs), case.reason, case.warned)


def case_from_row(row: Any) -> Case:
    return Case(
        id=row.id, item=row.item, department=row.department, promised_days=row.promised_days,
        upstream=tuple(row.upstream), deferrable=row.deferrable, state=CaseState(row.state),
        deferred=row.deferred, accepted_on=row.accepted_on, completed_on=row.completed_on,
        pauses=[Pause(dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None)
                for s, e in row.pauses],
        outputs=dict(row.outputs),
        reason=Text(row.reason_zh, row.reason_en) if row.reason_zh is not None else None,
        warned=Colour(row.warned),
    )


# Statements built once: building a statement costs more than running it on the hot path.
_MUTABLE = ("state", "deferred", "accepted_on", "completed_on", "pauses", "outputs", "reason_zh",
            "reason_en", "warned")
_SELECT_APPLICATION = select(applications).where(applications.c.id == bindparam("id"))
_SELECT_CASES = (select(cases).where(cases.c.application_id == bindparam("id"))
                 .order_by(cases.c.position))
_SAVE_APPLICATION = (update(applications)
                     .where(applications.c.id == bindparam("_id"),
                            applications.c.version == bindparam("_version"))
                     .values(status=bindparam("status"), data=bindparam("data"),
                             version=bindparam("version")))
_SAVE_CASE = (update(cases).where(cases.c.id == bindparam("_id"))
              .values({name: bindparam(name) for name in _MUTABLE}))


class SqlApplications:
    """The application repository on one open connection (the unit of work's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.versions: dict[str, int] = {}
        self.loaded: dict[str, tuple[Any, ...]] = {}  # case id -> snapshot as read, to write only changes

    def add(self, application: Application, idempotency_key: str, submitted_at: dt.datetime) -> None:
        self.add_many([(application, idempotency_key, submitted_at)])

    def add_many(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> None:
        """Insert applications with their cases in two statements. A taken idempotency key raises
        DuplicateSubmission; the transaction must then be rolled back (no savepoint is spent on
        the rare case)."""
        try:
            self.connection.execute(insert(applications), [{
                "id": app.id, "bundle": app.bundle, "applicant": app.applicant,
                "idempotency_key": key, "status": app.status.value, "data": app.data,
                "submitted_at": at, "version": 1} for app, key, at in new])
        except IntegrityError:
            raise DuplicateSubmission(", ".join(key for _, key, _ in new)) from None
        self.connection.execute(insert(cases), [
            _case_row(app.id, n, c) for app, _, _ in new for n, c in enumerate(app.cases.values())])
        self.versions.update((app.id, 1) for app, _, _ in new)

    def get(self, application_id: str) -> Application | None:
        row = self.connection.execute(_SELECT_APPLICATION, {"id": application_id}).first()
        if row is None:
            return None
        members = list(map(case_from_row, self.connection.execute(_SELECT_CASES, {"id": application_id})))
        return self._assemble(row, members)

    def _assemble(self, row: Any, members: list[Case]) -> Application:
        """An application from its row and its cases, remembered for the version check and for
        writing back only the cases that change."""
        self.versions[row.id] = row.version
        for case in members:
            self.loaded[case.id] = _snapshot(case)
        return Application(row.id, row.bundle, row.applicant, {c.id: c for c in members}, dict(row.data))

    def get_many_by_cases(self, case_ids: Sequence[str]) -> dict[str, Application]:
        """Every application owning one of `case_ids`, keyed by case id, in two queries."""
        owners = select(cases.c.application_id).where(cases.c.id.in_(case_ids)).distinct()
        heads = {row.id: row for row in self.connection.execute(
            select(applications).where(applications.c.id.in_(owners)))}
        members: dict[str, list[Case]] = {app_id: [] for app_id in heads}
        for row in self.connection.execute(select(cases).where(cases.c.application_id.in_(list(heads)))
                                           .order_by(cases.c.application_id, cases.c.position)):
            members[row.application_id].append(case_from_row(row))
        found = [self._assemble(row, members[app_id]) for app_id, row in heads.items()]
        wanted = set(case_ids)
        return {case_id: app for app in found for case_id in app.cases if case_id in wanted}

    def running_cases(self, department: str | None = None) -> list[tuple[str, Case]]:
        query = select(cases).where(cases.c.state.in_(
            [CaseState.ACCEPTED.value, CaseState.SUPPLEMENT_REQUESTED.value]))
        if department is not None:
            query = query.where(cases.c.department == department)
        return [(row.application_id, case_from_row(row)) for row in self.connection.execute(query)]

    def find_by_key(self, applicant: str, idempotency_key: str) -> str | None:
        return self.connection.execute(select(applications.c.id).where(
            applications.c.applicant == applicant,
            applications.c.idempotency_key == idempotency_key)).scalar()

    def save(self, application: Application) -> None:
        """Write back a loaded application; raise ConcurrentUpdate if another wrote it first."""
        self.save_many([application])

    def save_many(self, loaded: Sequence[Application]) -> None:
        """Write back loaded applications with one statement for them and one for their changed
        cases; raise ConcurrentUpdate if another transaction wrote any of them since it was read."""
        if not loaded:
            return
        result = self.connection.execute(_SAVE_APPLICATION, [{
            "_id": app.id, "_version": self.versions[app.id], "status": app.status.value,
            "data": app.data, "version": self.versions[app.id] + 1} for app in loaded])
        if result.rowcount != len(loaded):
            raise ConcurrentUpdate(", ".join(app.id for app in loaded))
        changed = []
        for app in loaded:
            self.versions[app.id] += 1
            for position, case in enumerate(app.cases.values()):
                snapshot = _snapshot(case)
                if self.loaded.get(case.id) != snapshot:
                    row = _case_row(app.id, position, case)
                    changed.append({"_id": case.id, **{name: row[name] for name in _MUTABLE}})
                    self.loaded[case.id] = snapshot
        if changed:
            self.connection.execute(_SAVE_CASE, changed)
