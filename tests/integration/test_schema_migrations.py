"""The migrations build the schema the code declares; migration 0010 keeps the simulated
department's unanswered cases findable both ways, and 0011 lets a clerk find an account by ID
number without reading them all."""

import datetime as dt
from functools import partial
from pathlib import Path
from typing import Any

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import Engine, event, inspect

import yijianshi.adapters.sql.service_tables  # noqa: F401  (its tables join the metadata)
from tests.clock import FixedClock
from tests.integration.test_audit_batches_migration import bare_engine, downgrade
from tests.integration.test_submit import CALENDAR, CATALOG, NOW, birth_values
from yijianshi.adapters.departments.simulated import SimulatedDepartment
from yijianshi.adapters.sql.accounts import SqlAccounts
from yijianshi.adapters.sql.engine import open_database
from yijianshi.adapters.sql.migrate import upgrade
from yijianshi.adapters.sql.tables import metadata
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.domain.accounts import Role
from yijianshi.services.applications.submission import SubmitApplication, submit_application
from yijianshi.services.context import Context
from yijianshi.services.delivery.dispatching import DeliverDue, deliver_pending

__all__ = ["bare_engine"]


def test_the_migrated_schema_is_the_declared_one(bare_engine: Engine) -> None:
    upgrade(bare_engine)
    with bare_engine.connect() as connection:
        assert compare_metadata(MigrationContext.configure(connection), metadata) == []


def test_the_inbox_finds_what_is_due_before_and_after_migration_0010(bare_engine: Engine) -> None:
    upgrade(bare_engine)
    clock = FixedClock(NOW)
    context = Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, bare_engine), clock)
    department = SimulatedDepartment(bare_engine, CATALOG, clock.now, dt.timedelta(minutes=5), seed=1)
    submit_application(context, SubmitApplication("birth", "p", "k", birth_values()))
    assert deliver_pending(context, DeliverDue(), department) == 1
    assert department.due(10) == []  # not due for five minutes
    later = NOW + dt.timedelta(minutes=10)
    [answer] = SimulatedDepartment(bare_engine, CATALOG, lambda: later).due(10)
    downgrade(bare_engine, "0009")
    assert due_index(bare_engine) == ["done_at", "due_at"]
    assert [a.event_id for a in SimulatedDepartment(bare_engine, CATALOG, lambda: later).due(10)] == [
        answer.event_id
    ]
    upgrade(bare_engine)
    assert due_index(bare_engine) == ["due_at"]
    again = SimulatedDepartment(bare_engine, CATALOG, lambda: later)
    assert [a.event_id for a in again.due(10)] == [answer.event_id]
    again.done([answer.event_id])
    assert again.due(10) == []  # the mark is written before it looks again
    assert SimulatedDepartment(bare_engine, CATALOG, lambda: later).due(10) == []  # and it is stored


def due_index(engine: Engine) -> list[str | None]:
    indexes = inspect(engine).get_indexes("simulated_inbox")
    [index] = [i for i in indexes if i["name"] == "ix_simulated_inbox_due"]
    return index["column_names"]


def test_a_search_by_id_number_reads_the_accounts_index_not_every_account(tmp_path: Path) -> None:
    engine = open_database(f"sqlite:///{tmp_path / 'a.sqlite3'}")
    searches: list[tuple[str, Any]] = []

    def seen(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        searches.append((statement, parameters))

    event.listen(engine, "before_cursor_execute", seen)
    SqlAccounts(engine).find(Role.APPLICANT, id_number="330381199001011234")
    event.remove(engine, "before_cursor_execute", seen)
    [(statement, parameters)] = searches
    with engine.connect() as connection:
        plan = " ".join(
            str(row[-1]) for row in connection.exec_driver_sql(f"EXPLAIN QUERY PLAN {statement}", parameters)
        )
    engine.dispose()
    assert "ix_accounts_id_number" in plan, plan
