"""The in-memory database the fakes share, and its transactions.

    MemoryDatabase                    one per deployment (or test)
    ├── committed: Tables             replaced whole at each commit, never changed in place
    └── writer lock                   held by the one transaction that has written, until it ends

    Transaction (one per unit of work)
    ├── read()    its own tables once it wrote, else the committed ones (read committed)
    └── write()   on first use: waits for the writer lock (like SQLite's), then copies the
                  committed tables; commit() installs the copy, rollback() drops it

Every stored value is immutable (frozen dataclasses, tuples, text), so copying the tables is a
shallow copy of each dict, and a reader never sees a half-made change. Holding the writer lock
from a transaction's first write to its end makes the checks a write makes (a taken idempotency
key, a version or an audit head moved on) exact, as a database's locks do: no other transaction
can change what they looked at before this one ends.
"""

from __future__ import annotations

import copy
import dataclasses
import datetime as dt
import threading
from dataclasses import dataclass, field
from typing import Any

from yijianshi.domain.audit import Head
from yijianshi.domain.cases import Application
from yijianshi.domain.ratings import Rating, Rectification
from yijianshi.services.applications.ports import Draft, Upload
from yijianshi.services.errors import StorageUnavailable

LOCK_TIMEOUT_S = 30.0  # as SQLite's busy_timeout in adapters/sql/engine.py


@dataclass(frozen=True, slots=True)
class StoredApplication:
    """An application as stored: a private copy (its cases without events), never handed out."""

    application: Application
    idempotency_key: str
    submitted_at: dt.datetime  # UTC
    version: int
    order: int  # insertion order, the tie-break of equal submission times


@dataclass(frozen=True, slots=True)
class OutboxRow:
    order: int
    event_id: str
    application_id: str
    case_id: str
    item: str
    department: str
    payload: str  # JSON text
    created_at: dt.datetime  # UTC
    shard: int
    next_attempt_at: dt.datetime
    attempts: int = 0
    delivered_at: dt.datetime | None = None
    last_error: str | None = None
    dead_lettered_at: dt.datetime | None = None


@dataclass(frozen=True, slots=True)
class WalletRow:
    identifier: str
    holder_code: str
    holder_code_type: str
    certificate_type: str
    status: str
    application_id: str
    document: str  # the canonical text signed
    key_id: str
    signature: str
    issued_at: dt.datetime


@dataclass(slots=True)
class Tables:
    """Everything stored, by key. Only a transaction's own copy is ever changed."""

    applications: dict[str, StoredApplication] = field(default_factory=dict)
    idempotency_keys: dict[tuple[str, str], str] = field(default_factory=dict)  # (applicant, key)
    case_owners: dict[str, str] = field(default_factory=dict)  # case id -> application id
    outbox: dict[str, OutboxRow] = field(default_factory=dict)
    audit_logs: dict[str, tuple[str, ...]] = field(default_factory=dict)  # entries as stored text
    audit_heads: dict[str, Head] = field(default_factory=dict)
    wallet: dict[str, WalletRow] = field(default_factory=dict)
    ratings: dict[str, Rating] = field(default_factory=dict)  # by application id
    rectifications: dict[str, Rectification] = field(default_factory=dict)
    uploads: dict[str, tuple[Upload, bytes]] = field(default_factory=dict)
    drafts: dict[tuple[str, str], Draft] = field(default_factory=dict)
    counter: int = 0  # the last insertion order given

    def copy(self) -> Tables:
        copied: dict[str, Any] = {f.name: copy.copy(getattr(self, f.name)) for f in dataclasses.fields(self)}
        return Tables(**copied)

    def next_order(self) -> int:
        self.counter += 1
        return self.counter


class MemoryDatabase:
    """The shared state of the in-memory stores (module docstring). Thread-safe."""

    def __init__(self, lock_timeout_s: float = LOCK_TIMEOUT_S) -> None:
        self.committed = Tables()
        self.lock_timeout_s = lock_timeout_s
        self._writer = threading.Lock()
        self._writer_thread: int | None = None

    def begin(self) -> Transaction:
        return Transaction(self)

    def lock(self) -> Tables:
        """Wait for the writer lock, then return a copy of the committed tables to change.
        Raises StorageUnavailable after `lock_timeout_s`, or at once when the waiting thread is
        the one holding it (through another unit of work): it would wait for itself."""
        if self._writer_thread == threading.get_ident():
            raise StorageUnavailable("this thread already writes in another in-memory unit of work")
        if not self._writer.acquire(timeout=self.lock_timeout_s):
            raise StorageUnavailable(f"the in-memory store stayed locked for {self.lock_timeout_s} s")
        self._writer_thread = threading.get_ident()
        return self.committed.copy()

    def unlock(self, tables: Tables | None) -> None:
        """Install `tables` (None: keep what is committed) and release the writer lock."""
        if tables is not None:
            self.committed = tables
        self._writer_thread = None
        self._writer.release()


class Transaction:
    """One unit of work's view of the database (module docstring)."""

    def __init__(self, database: MemoryDatabase) -> None:
        self.database = database
        self._own: Tables | None = None

    def read(self) -> Tables:
        return self._own if self._own is not None else self.database.committed

    def write(self) -> Tables:
        if self._own is None:
            self._own = self.database.lock()
        return self._own

    def commit(self) -> None:
        if self._own is not None:
            own, self._own = self._own, None
            self.database.unlock(own)

    def rollback(self) -> None:
        if self._own is not None:
            self._own = None
            self.database.unlock(None)
