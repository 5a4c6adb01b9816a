"""Engines for the two supported databases, configured for durability."""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError, OperationalError

from yijianshi.adapters.sql.migrate import upgrade
from yijianshi.services.errors import StorageUnavailable

HOW = "write sqlite:///FILE or postgresql+psycopg://USER@HOST:PORT/DATABASE"


def _sqlite_pragmas(connection: Any, _record: Any) -> None:
    cursor = connection.cursor()
    # 8 KiB pages for a new database (an existing one keeps its own): an application's audit
    # batches and certificates are rows of 1-5 KiB, which 4 KiB pages split over overflow pages;
    # measured about 4% faster end to end (docs/benchmarks.md)
    cursor.execute("PRAGMA page_size=8192")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")  # acknowledged means on disk
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def parse_url(url: str) -> URL:
    """The URL of a supported database; raise StorageUnavailable saying what to write."""
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise StorageUnavailable(f"database {url!r} is not a database URL: {HOW}") from None
    backend = parsed.get_backend_name()
    if backend == "postgresql":
        return parsed.set(drivername="postgresql+psycopg")
    if backend != "sqlite":
        raise StorageUnavailable(f"database kind {backend!r} is not supported: {HOW}")
    return parsed


def make_engine(url: str) -> Engine:
    """An engine for `url` (sqlite:///file or postgresql+psycopg://...)."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(parsed)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    return create_engine(parsed, pool_pre_ping=True)


def department_store_url(url: str) -> str:
    """Where the simulated departments keep their inbox, for a platform database at `url`.

    A department is a system of its own, with its own storage. On SQLite, a file beside the
    platform's (`yijianshi.sqlite3` -> `yijianshi-departments.sqlite3`): SQLite has one writer
    per file, and a simulated department writing into the platform's file would make the
    platform's transactions wait for it, which no real department does. On PostgreSQL, and for
    an in-memory SQLite database, the platform's own database (the migrations create the table).
    """
    parsed = parse_url(url)
    name = parsed.database or ""
    if parsed.get_backend_name() != "sqlite" or name in ("", ":memory:") or name.startswith("file:"):
        return url
    path = PurePath(name)
    return parsed.set(database=str(path.with_name(f"{path.stem}-departments{path.suffix}"))).render_as_string(
        hide_password=False
    )


def open_database(url: str) -> Engine:
    """An engine on a database migrated to the newest schema; StorageUnavailable if out of reach."""
    engine = make_engine(url)
    try:
        upgrade(engine)
    except OperationalError as error:
        shown = engine.url.render_as_string(hide_password=True)
        raise StorageUnavailable(f"cannot open database {shown}: {str(error.orig).strip()}") from None
    return engine
