"""A migrated, empty database of each kind for every integration test that asks for `engine`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from yijianshi.adapters.sql.engine import open_database


@pytest.fixture(params=["sqlite", "postgresql"])
def engine(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Engine]:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'yijianshi.sqlite3'}"
    else:
        url = request.getfixturevalue("postgres_url")
    engine = open_database(url)
    yield engine
    engine.dispose()
