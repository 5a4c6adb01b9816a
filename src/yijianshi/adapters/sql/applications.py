"""Applications and their cases in SQL, written with set-based Core statements.

The worker loads and saves a batch of applications several times per application, so the hot
path reads the JSON and date columns as the driver gives them (SQLite: text; PostgreSQL: values)
and decodes them here, with the common empty values (`[]`, `{}`) recognised without a parse; it
writes JSON it encodes itself, and only the cases that recorded an event since they were read.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ColumnElement,
    Connection,
    Date,
    bindparam,
    select,
    type_coerce,
    update,
)
from sqlalchemy.exc import IntegrityError
from sqlalchemy.types import NullType

from yijianshi.adapters.sql.driver import DriverStatement, insert_into
from yijianshi.adapters.sql.tables import applications, cases
from yijianshi.adapters.sql.times import utc
from yijianshi.domain.cases import Application, Case, CaseState, Colour, Pause
from yijianshi.domain.text import Text
from yijianshi.services.applications.ports import DuplicateSubmission
from yijianshi.services.unit_of_work import ConcurrentUpdate, Write

_ENCODE = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False).encode


def _case_row(application_id: str, position: int, case: Case) -> dict[str, Any]:
    return {
        "id": case.id,
        "application_id": application_id,
        "position": position,
        "item": case.item,
        "department": case.department,
        "state": case.state.value,
        "promised_days": case.promised_days,
        "upstream": _ENCODE(case.upstream),
        "deferrable": case.deferrable,
        "deferred": case.deferred,
        "accepted_on": case.accepted_on,
        "completed_on": case.completed_on,
        "pauses": _pauses(case),
        "outputs": _encoded(case.outputs),
        "reason_zh": case.reason.zh if case.reason else None,
        "reason_en": case.reason.en if case.reason else None,
        "warned": case.warned.value,
    }


def _pauses(case: Case) -> str:
    if not case.pauses:
        return "[]"
    return _ENCODE([[p.start.isoformat(), p.end.isoformat() if p.end else None] for p in case.pauses])


def _encoded(value: dict[str, Any]) -> str:
    return _ENCODE(value) if value else "{}"


def _json(value: Any) -> Any:
    """A JSON column's value: SQLite gives its text (parsed here; the empty ones without a parse),
    PostgreSQL the value already, and a processed column too."""
    if type(value) is not str:
        return value
    if value == "[]":
        return []
    if value == "{}":
        return {}
    return json.loads(value)


def _date(value: Any) -> dt.date | None:
    return dt.date.fromisoformat(value) if type(value) is str else value


_STATES = {state.value: state for state in CaseState}  # a lookup is cheaper than CaseState(value)
_COLOURS = {colour.value: colour for colour in Colour}


def case_from_row(row: Any) -> Case:
    """A case from a row of `cases`, with its columns processed or raw (`_RAW_CASE`)."""
    reason_zh, pauses = row.reason_zh, _json(row.pauses)
    return Case(
        id=row.id,
        item=row.item,
        department=row.department,
        promised_days=row.promised_days,
        upstream=tuple(_json(row.upstream)),
        deferrable=bool(row.deferrable),
        state=_STATES[row.state],
        deferred=bool(row.deferred),
        accepted_on=_date(row.accepted_on),
        completed_on=_date(row.completed_on),
        pauses=[Pause(dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None) for s, e in pauses]
        if pauses
        else [],
        outputs=_json(row.outputs),
        reason=Text(reason_zh, row.reason_en) if reason_zh is not None else None,
        warned=_COLOURS[row.warned],
    )


def _case_from_raw(row: Any) -> tuple[str, Case]:
    """The application id and the case of a row of `_RAW_CASE` (read by position: cheaper than by
    name, on the hot path)."""
    (
        app_id,
        case_id,
        _,
        item,
        department,
        state,
        promised_days,
        upstream,
        deferrable,
        deferred,
        accepted_on,
        completed_on,
        pauses,
        outputs,
        reason_zh,
        reason_en,
        warned,
    ) = row
    pauses = _json(pauses)
    return app_id, Case(
        id=case_id,
        item=item,
        department=department,
        promised_days=promised_days,
        upstream=tuple(_json(upstream)),
        deferrable=bool(deferrable),
        state=_STATES[state],
        deferred=bool(deferred),
        accepted_on=_date(accepted_on),
        completed_on=_date(completed_on),
        pauses=[Pause(dt.date.fromisoformat(s), dt.date.fromisoformat(e) if e else None) for s, e in pauses]
        if pauses
        else [],
        outputs=_json(outputs),
        reason=Text(reason_zh, reason_en) if reason_zh is not None else None,
        warned=_COLOURS[warned],
    )


def _raw(column: Column[Any]) -> ColumnElement[Any]:
    """A column read as the driver gives it: no result processing."""
    if isinstance(column.type, JSON | Date | Boolean):
        return type_coerce(column, NullType).label(column.key)
    return column


# Statements built once: building a statement costs more than running it on the hot path.
_MUTABLE = (
    "state",
    "deferred",
    "accepted_on",
    "completed_on",
    "pauses",
    "outputs",
    "reason_zh",
    "reason_en",
    "warned",
)
_CASE_COLUMNS = (
    "application_id",
    "id",
    "position",
    "item",
    "department",
    "state",
    "promised_days",
    "upstream",
    "deferrable",
    "deferred",
    "accepted_on",
    "completed_on",
    "pauses",
    "outputs",
    "reason_zh",
    "reason_en",
    "warned",
)
_RAW_CASE = [_raw(cases.c[name]) for name in _CASE_COLUMNS]
_RAW_APPLICATION = [_raw(applications.c[name]) for name in ("id", "bundle", "applicant", "data", "version")]
_SELECT_APPLICATION = select(*_RAW_APPLICATION).where(applications.c.id == bindparam("id"))
_SELECT_CASES = select(*_RAW_CASE).where(cases.c.application_id == bindparam("id")).order_by(cases.c.position)
_SELECT_OWNERS = select(*_RAW_APPLICATION).where(
    applications.c.id.in_(
        select(cases.c.application_id).where(cases.c.id.in_(bindparam("case_ids", expanding=True)))
    )
)
_SELECT_MEMBERS = (
    select(*_RAW_CASE)
    .where(cases.c.application_id.in_(bindparam("ids", expanding=True)))
    .order_by(cases.c.application_id, cases.c.position)
)
# Written through the driver: JSON encoded here (driver.py).
_INSERT_APPLICATIONS = DriverStatement(
    insert_into(
        applications,
        "id",
        "bundle",
        "applicant",
        "idempotency_key",
        "status",
        "data",
        "submitted_at",
        "version",
    )
)
_INSERT_CASES = DriverStatement(insert_into(cases, *_CASE_COLUMNS))
_SAVE_APPLICATION = DriverStatement(
    update(applications)
    .where(applications.c.id == bindparam("_id"), applications.c.version == bindparam("_version"))
    .values(status=bindparam("status"), data=bindparam("data", type_=JSON), version=bindparam("version"))
)
_SAVE_CASE = DriverStatement(
    update(cases)
    .where(cases.c.id == bindparam("_id"))
    .values({name: bindparam(name, type_=cases.c[name].type) for name in _MUTABLE})
)


class SqlApplications:
    """The application repository on one open connection (the unit of work's transaction).

    A loaded application's cases are written back only if they recorded an event since: every
    change of a case is a transition that records one (domain/cases.py).
    """

    def __init__(self, connection: Connection) -> None:
        self.connection = connection
        self.versions: dict[str, int] = {}

    def add(self, application: Application, idempotency_key: str, submitted_at: dt.datetime) -> None:
        self.add_many([(application, idempotency_key, submitted_at)])

    def add_many(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> None:
        """Insert applications with their cases in two statements. A taken idempotency key raises
        DuplicateSubmission; the transaction must then be rolled back (no savepoint is spent on
        the rare case)."""
        self.prepare_add(new)()

    def prepare_add(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> Write:
        """`add_many` with its rows made now, written when called."""
        insert_applications = _INSERT_APPLICATIONS.bind(
            self.connection,
            [
                {
                    "id": app.id,
                    "bundle": app.bundle,
                    "applicant": app.applicant,
                    "idempotency_key": key,
                    "status": app.status.value,
                    "data": _ENCODE(app.data),
                    "submitted_at": utc(at),
                    "version": 1,
                }
                for app, key, at in new
            ],
        )
        insert_cases = _INSERT_CASES.bind(
            self.connection,
            [_case_row(app.id, n, c) for app, _, _ in new for n, c in enumerate(app.cases.values())],
        )

        def write() -> None:
            try:
                insert_applications()
            except IntegrityError:
                raise DuplicateSubmission(", ".join(key for _, key, _ in new)) from None
            insert_cases()
            self.versions.update((app.id, 1) for app, _, _ in new)

        return write

    def get(self, application_id: str) -> Application | None:
        row = self.connection.execute(_SELECT_APPLICATION, {"id": application_id}).first()
        if row is None:
            return None
        members = [
            case
            for _, case in map(
                _case_from_raw, self.connection.execute(_SELECT_CASES, {"id": application_id}).all()
            )
        ]
        return self._assemble(row, members)

    def _assemble(self, row: Any, members: list[Case]) -> Application:
        """An application from its raw row and its cases, remembered for the version check."""
        self.versions[row.id] = row.version
        return Application(row.id, row.bundle, row.applicant, {c.id: c for c in members}, _json(row.data))

    def get_many_by_cases(self, case_ids: Sequence[str]) -> dict[str, Application]:
        """Every application owning one of `case_ids`, keyed by case id, in two queries."""
        heads = {
            row.id: row for row in self.connection.execute(_SELECT_OWNERS, {"case_ids": list(case_ids)}).all()
        }
        members: dict[str, list[Case]] = {app_id: [] for app_id in heads}
        for app_id, case in map(
            _case_from_raw, self.connection.execute(_SELECT_MEMBERS, {"ids": list(heads)}).all()
        ):  # one fetch
            members[app_id].append(case)
        found = [self._assemble(row, members[app_id]) for app_id, row in heads.items()]
        wanted = set(case_ids)
        return {case_id: app for app in found for case_id in app.cases if case_id in wanted}

    def running_cases(self, department: str | None = None) -> list[tuple[str, Case]]:
        query = select(*_RAW_CASE).where(
            cases.c.state.in_([CaseState.ACCEPTED.value, CaseState.SUPPLEMENT_REQUESTED.value])
        )
        if department is not None:
            query = query.where(cases.c.department == department)
        return list(map(_case_from_raw, self.connection.execute(query).all()))

    def find_by_key(self, applicant: str, idempotency_key: str) -> str | None:
        return self.connection.execute(
            select(applications.c.id).where(
                applications.c.applicant == applicant, applications.c.idempotency_key == idempotency_key
            )
        ).scalar()

    def save(self, application: Application) -> None:
        """Write back a loaded application; raise ConcurrentUpdate if another wrote it first."""
        self.save_many([application])

    def save_many(self, loaded: Sequence[Application]) -> None:
        """Write back loaded applications with one statement for them and one for their changed
        cases; raise ConcurrentUpdate if another transaction wrote any of them since it was read."""
        self.prepare_save(loaded)()

    def prepare_save(self, loaded: Sequence[Application]) -> Write:
        """`save_many` with its rows made now, from the applications as they are now."""
        save_applications = _SAVE_APPLICATION.bind(
            self.connection,
            [
                {
                    "_id": app.id,
                    "_version": self.versions[app.id],
                    "status": app.status.value,
                    "data": _ENCODE(app.data),
                    "version": self.versions[app.id] + 1,
                }
                for app in loaded
            ],
        )
        changed = []
        for app in loaded:
            for case in app.cases.values():
                if case.events:
                    changed.append(
                        {
                            "_id": case.id,
                            "state": case.state.value,
                            "deferred": case.deferred,
                            "accepted_on": case.accepted_on,
                            "completed_on": case.completed_on,
                            "pauses": _pauses(case),
                            "outputs": _encoded(case.outputs),
                            "reason_zh": case.reason.zh if case.reason else None,
                            "reason_en": case.reason.en if case.reason else None,
                            "warned": case.warned.value,
                        }
                    )
        save_cases = _SAVE_CASE.bind(self.connection, changed)

        def write() -> None:
            if save_applications() != len(loaded):
                raise ConcurrentUpdate(", ".join(app.id for app in loaded))
            for app in loaded:
                self.versions[app.id] += 1
            save_cases()

        return write
