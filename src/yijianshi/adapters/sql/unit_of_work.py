"""A unit of work on one SQL transaction."""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from yijianshi.adapters.sql.applications import SqlApplications
from yijianshi.adapters.sql.audit_trail import SqlAuditTrail
from yijianshi.adapters.sql.outbox import SqlOutbox


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self.connection = self.engine.connect()
        self.connection.begin()
        self.applications = SqlApplications(self.connection)
        self.outbox = SqlOutbox(self.connection)
        self.audit = SqlAuditTrail(self.connection)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.connection is not None
        self.connection.rollback()  # no-op after a commit
        self.connection.close()
        self.connection = None

    def commit(self) -> None:
        assert self.connection is not None
        self.connection.commit()
