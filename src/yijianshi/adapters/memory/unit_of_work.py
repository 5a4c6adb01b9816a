"""A unit of work on the in-memory database: one transaction over every area's fake store."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from yijianshi.adapters.certificates.keys import ephemeral_keys
from yijianshi.adapters.memory.applications import MemoryApplicationReads, MemoryApplications
from yijianshi.adapters.memory.audit_trail import MemoryAuditTrail
from yijianshi.adapters.memory.database import MemoryDatabase, Transaction
from yijianshi.adapters.memory.materials import MemoryDrafts, MemoryUploads
from yijianshi.adapters.memory.outbox import MemoryOutbox
from yijianshi.adapters.memory.ratings import MemoryRatings
from yijianshi.adapters.memory.wallet import MemoryWallet
from yijianshi.services.ids import TimeOrderedIds
from yijianshi.services.sharing.ports import CertificateKeys

if TYPE_CHECKING:
    from yijianshi.services.unit_of_work import UnitOfWork


class MemoryUnitOfWork:
    """`with uow: ...; uow.commit()` — anything not committed is rolled back on exit, as with
    SqlUnitOfWork. Nothing it writes is seen by another unit of work before it commits; once it
    has written, another unit of work that writes waits for it to end (database.py).

    `keys` sign the certificates the wallet issues (default: a key made for this process);
    `ids` name new audit entries (default: time-ordered UUIDs).
    """

    def __init__(
        self,
        database: MemoryDatabase,
        keys: CertificateKeys | None = None,
        ids: Callable[[], str] | None = None,
    ) -> None:
        self.database = database
        self.keys = keys or ephemeral_keys()
        self.ids = ids or TimeOrderedIds()
        self.transaction: Transaction | None = None

    def __enter__(self) -> MemoryUnitOfWork:
        self.transaction = transaction = self.database.begin()
        self.applications = MemoryApplications(transaction)
        self.outbox = MemoryOutbox(transaction)
        self.audit = MemoryAuditTrail(transaction, self.ids)
        self.wallet = MemoryWallet(transaction, self.keys)
        self.reads = MemoryApplicationReads(transaction)
        self.ratings = MemoryRatings(transaction)
        self.uploads = MemoryUploads(transaction)
        self.drafts = MemoryDrafts(transaction)
        return self

    def __exit__(self, *exc: object) -> None:
        assert self.transaction is not None
        self.transaction.rollback()  # nothing left after a commit
        self.transaction = None

    def commit(self) -> None:
        assert self.transaction is not None
        self.transaction.commit()


def memory_unit_of_work(
    database: MemoryDatabase | None = None,
    keys: CertificateKeys | None = None,
    ids: Callable[[], str] | None = None,
) -> Callable[[], MemoryUnitOfWork]:
    """A factory of units of work on one database (a new, empty one by default), sharing one id
    source: what `Context.unit_of_work` takes."""
    shared = database or MemoryDatabase()
    signing, naming = keys or ephemeral_keys(), ids or TimeOrderedIds()
    return lambda: MemoryUnitOfWork(shared, signing, naming)


if TYPE_CHECKING:  # mypy checks the fake against the port, store by store

    def _is_a_unit_of_work(uow: MemoryUnitOfWork) -> UnitOfWork:
        return uow
