import json
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select, update

from tests.clock import FixedClock
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.audit_trail import SqlAuditTrail
from yijianshi.adapters.sql.tables import audit_batches
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.bootstrap import assemble_worker
from yijianshi.domain import audit
from yijianshi.domain.audit import AuditRecord, Break, Head
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.audit.verification import VerifyAuditTrails, verify_audit
from yijianshi.services.context import Context
from yijianshi.services.ids import TimeOrderedIds
from yijianshi.services.unit_of_work import ConcurrentUpdate


def completed_application(engine: Engine) -> str:
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), clock)
    department = SimulatedDepartment(engine, CATALOG, clock.now, seed=1)
    command = SubmitApplication("birth", "parent-1", "k", birth_values())
    app_id = submit_application(context, command).application_id
    assemble_worker(context, department, department).run_until_idle()
    return app_id


def edit_entry(
    engine: Engine, app_id: str, sequence: int, change: Callable[[dict[str, Any]], dict[str, Any] | None]
) -> None:
    """Edit the stored entry `sequence` of a log by hand, inside the row that holds it; `change`
    returning None removes the entry."""
    with engine.begin() as connection:
        for first, document in connection.execute(
            select(audit_batches.c.first_sequence, audit_batches.c.document).where(
                audit_batches.c.application_id == app_id
            )
        ):
            events = json.loads(document)
            if first <= sequence < first + len(events):
                edited = change(events[sequence - first])
                events[sequence - first : sequence - first + 1] = [] if edited is None else [edited]
                connection.execute(
                    update(audit_batches)
                    .where(audit_batches.c.application_id == app_id, audit_batches.c.first_sequence == first)
                    .values(document=json.dumps(events, ensure_ascii=False))
                )
                return
    raise AssertionError(f"no entry {sequence}")


def check(engine: Engine, app_id: str):  # type: ignore[no-untyped-def]
    (result,) = verify_audit(
        Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, engine), FixedClock(NOW)), VerifyAuditTrails(app_id)
    )
    return result


def test_every_state_change_is_in_the_applications_audit_trail(engine: Engine) -> None:
    app_id = completed_application(engine)
    with SqlUnitOfWork(engine) as uow:
        log = uow.audit.log(app_id)
    types = [e.type for e in log]
    assert types[0] == "org.yijianshi.application.submitted"
    assert types.count("org.yijianshi.case.completed") == 7
    assert types.count("org.yijianshi.case.sent") == 7
    assert check(engine, app_id).result.ok
    # the values produced stay out of the trail; it names the outputs
    completed = next(e for e in log if e.type == "org.yijianshi.case.completed" and e.data["outputs"])
    assert all(isinstance(key, str) and "." in key for key in completed.data["outputs"])


def test_the_events_of_one_transaction_share_a_row_and_chain_one_by_one(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.connect() as connection:
        rows = connection.execute(
            select(audit_batches.c.first_sequence, audit_batches.c.document)
            .where(audit_batches.c.application_id == app_id)
            .order_by(audit_batches.c.first_sequence)
        ).all()
    sizes = [len(json.loads(document)) for _, document in rows]
    assert len(rows) < sum(sizes)  # fewer rows than events
    assert [first for first, _ in rows] == [sum(sizes[:n]) for n in range(len(rows))]
    with SqlUnitOfWork(engine) as uow:
        assert [e.sequence for e in uow.audit.log(app_id)] == list(range(sum(sizes)))


def test_a_changed_entry_is_named(engine: Engine) -> None:
    app_id = completed_application(engine)
    edit_entry(engine, app_id, 5, lambda event: {**event, "actor": "someone-else"})
    result = check(engine, app_id).result
    assert result.index == 5
    assert Break.CHANGED in result.breaks


def test_a_removed_middle_entry_and_a_removed_last_entry_are_found(engine: Engine) -> None:
    app_id = completed_application(engine)
    with SqlUnitOfWork(engine) as uow:
        last = len(uow.audit.log(app_id)) - 1
    edit_entry(engine, app_id, last, lambda event: None)
    result = check(engine, app_id).result
    assert Break.TRUNCATED in result.breaks
    edit_entry(engine, app_id, 3, lambda event: None)
    result = check(engine, app_id).result
    assert result.index == 3
    assert Break.UNLINKED in result.breaks


def test_a_removed_row_of_entries_is_found_at_the_first_entry_after_it(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.begin() as connection:
        second = connection.execute(
            select(audit_batches.c.first_sequence)
            .where(audit_batches.c.application_id == app_id)
            .order_by(audit_batches.c.first_sequence)
            .offset(1)
            .limit(1)
        ).scalar_one()
        connection.execute(
            audit_batches.delete().where(
                audit_batches.c.application_id == app_id, audit_batches.c.first_sequence == second
            )
        )
    result = check(engine, app_id).result
    assert result.index == second
    assert Break.UNLINKED in result.breaks


def test_two_swapped_entries_are_found_at_the_first_of_them(engine: Engine) -> None:
    app_id = completed_application(engine)
    with SqlUnitOfWork(engine) as uow:
        log = uow.audit.log(app_id)
    third, fourth = (json.loads(json.dumps(audit.to_cloudevent_json(e))) for e in log[3:5])
    edit_entry(engine, app_id, 3, lambda event: fourth)
    edit_entry(engine, app_id, 4, lambda event: third)
    result = check(engine, app_id).result
    assert result.index == 3
    assert Break.UNLINKED in result.breaks


def test_an_entry_edited_into_an_unreadable_event_is_named(engine: Engine) -> None:
    app_id = completed_application(engine)
    edit_entry(engine, app_id, 2, lambda event: {"specversion": "1.0"})
    result = check(engine, app_id).result
    assert result.index == 2
    assert "cannot be read" in result.detail


def test_a_row_edited_into_something_else_than_events_is_named_at_its_first_entry(engine: Engine) -> None:
    app_id = completed_application(engine)
    with engine.begin() as connection:
        connection.execute(
            update(audit_batches)
            .where(audit_batches.c.application_id == app_id, audit_batches.c.first_sequence == 0)
            .values(document="not json")
        )
    result = check(engine, app_id).result
    assert result.index == 0
    assert "cannot be read" in result.detail


class StaleHeads(SqlAuditTrail):
    """A trail that read its heads before another transaction appended."""

    def __init__(self, connection: Connection, stale: dict[str, Head]) -> None:
        super().__init__(connection, TimeOrderedIds())
        self.stale = stale

    def heads(self, application_ids: Sequence[str]) -> dict[str, Head]:
        return {app_id: head for app_id, head in self.stale.items() if app_id in application_ids}


def test_two_transactions_appending_to_one_log_cannot_fork_it(engine: Engine) -> None:
    app_id = completed_application(engine)
    record = AuditRecord("org.yijianshi.personal_data.read", NOW, "clerk-1", purpose="核验")
    with SqlUnitOfWork(engine) as uow:
        before = uow.audit.head(app_id)
        uow.audit.record(app_id, [record])
        uow.commit()
    assert before is not None
    for stale in ({app_id: before}, {}):  # its head as it was, or no head at all yet
        with engine.connect() as connection:
            with pytest.raises(ConcurrentUpdate):
                StaleHeads(connection, stale).record(app_id, [record])
            connection.rollback()
    assert check(engine, app_id).result.ok


def test_a_log_said_to_be_new_that_is_not_cannot_be_forked_either(engine: Engine) -> None:
    app_id = completed_application(engine)
    record = AuditRecord("org.yijianshi.personal_data.read", NOW, "clerk-1", purpose="核验")
    with SqlUnitOfWork(engine) as uow:
        before = uow.audit.head(app_id)
        write = uow.audit.prepare_many({app_id: [record]}, new=True)  # no head read
        with pytest.raises(ConcurrentUpdate):
            write()
    with SqlUnitOfWork(engine) as uow:
        assert uow.audit.head(app_id) == before
    assert check(engine, app_id).result.ok
