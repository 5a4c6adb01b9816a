"""Applications, their cases and the read queries over them, in memory (see database.py).

As in SQL, an application is stored as a copy: what `get` returns is the caller's to change, and
a loaded application's cases are written back only if they recorded an event since.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
from collections.abc import Sequence

from yijianshi.adapters.memory.database import StoredApplication, Tables, Transaction
from yijianshi.domain.cases import Application, Case, CaseState
from yijianshi.services.applications.ports import ApplicationRow, DuplicateSubmission
from yijianshi.services.unit_of_work import ConcurrentUpdate, Write

_RUNNING = frozenset({CaseState.ACCEPTED, CaseState.SUPPLEMENT_REQUESTED})


def utc(moment: dt.datetime) -> dt.datetime:
    """A time as a store gives it back: in UTC (a naive one is taken to be UTC, as SQL does)."""
    return moment.astimezone(dt.UTC) if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _stored_copy(application: Application) -> Application:
    """A copy to store: the cases without their events, as a store reads them back."""
    kept = copy.deepcopy(application)
    for case in kept.cases.values():
        case.events = []
    return kept


class MemoryApplications:
    """The application repository of one unit of work (ports.ApplicationRepository)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction
        self.versions: dict[str, int] = {}

    def add(self, application: Application, idempotency_key: str, submitted_at: dt.datetime) -> None:
        self.add_many([(application, idempotency_key, submitted_at)])

    def add_many(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> None:
        self.prepare_add(new)()

    def prepare_add(self, new: Sequence[tuple[Application, str, dt.datetime]]) -> Write:
        rows = [(_stored_copy(app), key, utc(at)) for app, key, at in new]

        def write() -> None:
            tables = self.transaction.write()
            taken = [
                key
                for app, key, _ in rows
                if (app.applicant, key) in tables.idempotency_keys or app.id in tables.applications
            ]
            keys = [(app.applicant, key) for app, key, _ in rows]
            if taken or len(set(keys)) != len(keys):
                raise DuplicateSubmission(", ".join(key for _, key, _ in rows))
            for app, key, at in rows:
                tables.applications[app.id] = StoredApplication(app, key, at, 1, tables.next_order())
                tables.idempotency_keys[(app.applicant, key)] = app.id
                tables.case_owners.update(dict.fromkeys(app.cases, app.id))
            self.versions.update((app.id, 1) for app, _, _ in rows)

        return write

    def get(self, application_id: str) -> Application | None:
        stored = self.transaction.read().applications.get(application_id)
        return self._loaded(stored) if stored else None

    def _loaded(self, stored: StoredApplication) -> Application:
        self.versions[stored.application.id] = stored.version
        return copy.deepcopy(stored.application)

    def find_by_key(self, applicant: str, idempotency_key: str) -> str | None:
        return self.transaction.read().idempotency_keys.get((applicant, idempotency_key))

    def get_many_by_cases(self, case_ids: Sequence[str]) -> dict[str, Application]:
        tables = self.transaction.read()
        owners = {tables.case_owners[c] for c in case_ids if c in tables.case_owners}
        found = [self._loaded(tables.applications[app_id]) for app_id in sorted(owners)]
        wanted = set(case_ids)
        return {case_id: app for app in found for case_id in app.cases if case_id in wanted}

    def running_cases(self, department: str | None = None) -> list[tuple[str, Case]]:
        return [
            (stored.application.id, copy.deepcopy(case))
            for stored in self.transaction.read().applications.values()
            for case in stored.application.cases.values()
            if case.state in _RUNNING and (department is None or case.department == department)
        ]

    def save(self, application: Application) -> None:
        self.save_many([application])

    def save_many(self, loaded: Sequence[Application]) -> None:
        self.prepare_save(loaded)()

    def prepare_save(self, loaded: Sequence[Application]) -> Write:
        was = {app.id: self.versions[app.id] for app in loaded}  # KeyError if not loaded, as in SQL
        # the data and the cases that changed, as they are now (as SQL makes its rows now)
        changed = [
            (app.id, copy.deepcopy(app.data), [copy.deepcopy(c) for c in app.cases.values() if c.events])
            for app in loaded
        ]

        def write() -> None:
            tables = self.transaction.write()
            current = [tables.applications.get(app_id) for app_id in was]
            if any(s is None or s.version != was[s.application.id] for s in current):
                raise ConcurrentUpdate(", ".join(was))
            for app_id, data, cases in changed:
                stored = tables.applications[app_id]
                kept = copy.deepcopy(stored.application)
                kept.data = data
                for case in cases:
                    kept.cases[case.id] = dataclasses.replace(case, events=[])
                tables.applications[app_id] = dataclasses.replace(
                    stored, application=kept, version=stored.version + 1
                )
                self.versions[app_id] = stored.version + 1

        return write


def row_of(stored: StoredApplication) -> ApplicationRow:
    app = stored.application
    return ApplicationRow(
        app.id, app.bundle, app.applicant, app.status.value, stored.submitted_at, stored.version
    )


_UNSENT = frozenset({CaseState.WAITING, CaseState.READY})


class MemoryApplicationReads:
    """Read queries over applications and cases of one unit of work (ports.ApplicationReads)."""

    def __init__(self, transaction: Transaction) -> None:
        self.transaction = transaction

    def row(self, application_id: str) -> ApplicationRow | None:
        stored = self.transaction.read().applications.get(application_id)
        return row_of(stored) if stored else None

    def applications_of(self, applicant: str) -> list[ApplicationRow]:
        mine = [s for s in self._by_time(self.transaction.read()) if s.application.applicant == applicant]
        mine.sort(key=lambda s: s.application.id)
        mine.sort(key=lambda s: s.submitted_at, reverse=True)  # newest first, then by id
        return [row_of(s) for s in mine]

    def all_rows(self) -> list[ApplicationRow]:
        return [row_of(s) for s in self._by_time(self.transaction.read())]

    def cases_of_department(self, department: str) -> list[tuple[ApplicationRow, Case]]:
        return [
            (row, case)
            for row, case in self.all_cases()
            if case.department == department and case.state not in _UNSENT and case.reached_department
        ]

    def all_cases(self) -> list[tuple[ApplicationRow, Case]]:
        return [
            (row_of(s), copy.deepcopy(case))
            for s in self._by_time(self.transaction.read())
            for case in s.application.cases.values()
        ]

    @staticmethod
    def _by_time(tables: Tables) -> list[StoredApplication]:
        return sorted(tables.applications.values(), key=lambda s: (s.submitted_at, s.order))
