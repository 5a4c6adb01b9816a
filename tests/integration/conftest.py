"""Databases for integration tests: a fresh SQLite file and a fresh PostgreSQL database.

PostgreSQL is not optional: `.ci/run` starts the server when it is not running. The server
is reached at YIJIANSHI_TEST_POSTGRES_URL (default: the local server on loopback).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text

from yijianshi.adapters.sql.engine import make_engine
from yijianshi.adapters.sql.migrate import upgrade

POSTGRES_ADMIN_URL = os.environ.get("YIJIANSHI_TEST_POSTGRES_URL",
                                    "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    """A migrated, empty database of each kind."""
    if request.param == "sqlite":
        engine = make_engine(f"sqlite:///{tmp_path / 'yijianshi.sqlite3'}")
        upgrade(engine)
        yield engine
        engine.dispose()
        return
    name = f"yijianshi_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    engine = make_engine(POSTGRES_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}")
    try:
        upgrade(engine)
        yield engine
    finally:
        engine.dispose()
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
