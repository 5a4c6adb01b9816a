"""Migration 0009: audit events written one row each before it are kept, one batch each, and
still verify; the downgrade gives them back one row each."""

from collections.abc import Iterator
from functools import partial
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text

from tests.clock import FixedClock
from tests.integration.test_audit_trail import completed_application
from tests.integration.test_submit import CALENDAR, CATALOG, NOW
from yijianshi.adapters.sql.engine import make_engine
from yijianshi.adapters.sql.migrate import alembic_config, upgrade
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.services.audit.verification import VerifyAuditTrails, verify_audit
from yijianshi.services.context import Context


@pytest.fixture(params=["sqlite", "postgresql"])
def bare_engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """An engine on an empty database: no migration applied."""
    url = (
        f"sqlite:///{tmp_path / 'm.sqlite3'}"
        if request.param == "sqlite"
        else request.getfixturevalue("postgres_url")
    )
    engine = make_engine(url)
    yield engine
    engine.dispose()


def downgrade(engine: Engine, revision: str) -> None:
    command.downgrade(alembic_config(engine), revision)


def test_events_stored_one_row_each_move_into_batches_and_back(bare_engine: Engine) -> None:
    upgrade(bare_engine)
    app_id = completed_application(bare_engine)
    with SqlUnitOfWork(bare_engine) as uow:
        before = uow.audit.log(app_id)
    downgrade(bare_engine, "0008")
    assert "audit_batches" not in inspect(bare_engine).get_table_names()
    with bare_engine.connect() as connection:
        rows = connection.execute(text("SELECT count(*) FROM audit_events")).scalar_one()
    assert rows == len(before)
    upgrade(bare_engine)
    with SqlUnitOfWork(bare_engine) as uow:
        after = uow.audit.log(app_id)
    assert after == before
    (check,) = verify_audit(
        Context(CATALOG, CALENDAR, partial(SqlUnitOfWork, bare_engine), FixedClock(NOW)),
        VerifyAuditTrails(app_id),
    )
    assert check.result.ok
    assert "audit_events" not in inspect(bare_engine).get_table_names()
