"""A unit of work on one SQL transaction."""

from __future__ import annotations

import functools

from sqlalchemy import Connection, Engine

from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.sql.applications import SqlApplications
from yijianshi.adapters.sql.audit_trail import SqlAuditTrail
from yijianshi.adapters.sql.materials import SqlDrafts, SqlUploads
from yijianshi.adapters.sql.outbox import SqlOutbox
from yijianshi.adapters.sql.ratings import SqlRatings
from yijianshi.adapters.sql.reads import SqlApplicationReads
from yijianshi.adapters.sql.wallet import SqlWallet
from yijianshi.services.ids import Ids, TimeOrderedIds
from yijianshi.services.sharing.ports import CertificateKeys


class SqlUnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit.

    `keys` sign the certificates the wallet issues; without them (a unit of work built by hand in
    a test or a benchmark), a key made for this process signs. `ids` names the audit entries it
    seals; without it, the process's time-ordered ids.
    """

    def __init__(self, engine: Engine, keys: CertificateKeys | None = None, ids: Ids | None = None) -> None:
        self.engine = engine
        self.keys = keys or ephemeral_keys()
        self.ids = ids or process_ids()
        self.connection: Connection | None = None

    def __enter__(self) -> SqlUnitOfWork:
        self.connection = self.engine.connect()
        self.connection.begin()
        self.applications = SqlApplications(self.connection)
        self.outbox = SqlOutbox(self.connection)
        self.audit = SqlAuditTrail(self.connection, self.ids)
        self.wallet = SqlWallet(self.connection, self.keys)
        self.reads = SqlApplicationReads(self.connection)
        self.ratings = SqlRatings(self.connection)
        self.uploads = SqlUploads(self.connection)
        self.drafts = SqlDrafts(self.connection)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.connection is not None
        self.connection.rollback()  # no-op after a commit
        self.connection.close()
        self.connection = None

    def commit(self) -> None:
        assert self.connection is not None
        self.connection.commit()


@functools.cache
def process_ids() -> TimeOrderedIds:
    """The id source of units of work built without one (made on first use, one per process)."""
    return TimeOrderedIds()
