"""One unit-of-work factory per backend: the in-memory fake, SQLite and PostgreSQL.

Every contract test runs against the three, so a fake that drifts from the SQL adapters fails
the same test the adapters pass. The SQL databases are made and migrated once per session and
emptied before each test (cheaper than a migration per test).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from functools import partial

import pytest
from sqlalchemy import Engine, create_engine, text

from tests.conftest import POSTGRES_ADMIN_URL
from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.memory.unit_of_work import memory_unit_of_work
from yijianshi.adapters.sql import service_tables  # noqa: F401  (its tables join the metadata)
from yijianshi.adapters.sql.engine import open_database
from yijianshi.adapters.sql.tables import metadata
from yijianshi.adapters.sql.unit_of_work import SqlUnitOfWork
from yijianshi.services.unit_of_work import UnitOfWork

BACKENDS = ["memory", "sqlite", "postgresql"]

UnitOfWorkFactory = Callable[[], UnitOfWork]


@pytest.fixture(scope="session")
def sqlite_engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    engine = open_database(f"sqlite:///{tmp_path_factory.mktemp('contracts') / 'yijianshi.sqlite3'}")
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def postgresql_engine() -> Iterator[Engine]:
    name = f"yijianshi_contracts_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = open_database(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def emptied(engine: Engine) -> Engine:
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    return engine


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def engine(backend: str, request: pytest.FixtureRequest) -> Engine | None:
    """The backend's emptied SQL engine (None for the in-memory fake)."""
    if backend == "memory":
        return None
    found: Engine = request.getfixturevalue(f"{backend}_engine")
    return emptied(found)


@pytest.fixture
def unit_of_work(backend: str, engine: Engine | None) -> UnitOfWorkFactory:
    """Makes units of work on one empty store of the backend."""
    if engine is None:
        return memory_unit_of_work(keys=ephemeral_keys())
    return partial(SqlUnitOfWork, engine, ephemeral_keys())
