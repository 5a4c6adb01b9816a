"""The unit of work every use case commits through, and what happens when two of them race.

A unit of work is one transaction over the stores of every area (applications, outbox, audit
trail, wallet, ratings, uploads, drafts): everything a use case writes inside it commits together
or not at all. Its writes are prepared first (`Write`) and run back to back, so the transaction
holds its write locks only while statements run.

Reads of personal data are audited in the application's trail, so two people (or a person and the
worker) reading or changing the same application at the same moment both append to one hash
chain; the chain's head moves by compare-and-swap and the loser's transaction is rolled back with
ConcurrentUpdate. Such a use case is simply run again (`retried_on_conflict`): it opened its own
units of work and committed nothing when it lost. Between attempts it waits a random moment,
longer each time (up to 50 ms), so that many people on one application take turns instead of
colliding again.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, ParamSpec, Protocol, TypeAlias, TypeVar

from yijianshi.services.errors import ConcurrentUpdate as ConcurrentUpdate  # what a Write raises

if TYPE_CHECKING:  # the areas' ports name Write; the protocol below only annotates with theirs
    from yijianshi.services.applications.ports import ApplicationReads, ApplicationRepository, Drafts, Uploads
    from yijianshi.services.audit.ports import AuditTrail
    from yijianshi.services.cases.ports import Ratings
    from yijianshi.services.delivery.ports import Outbox
    from yijianshi.services.sharing.ports import Wallet

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 20
LONGEST_WAIT_S = 0.05

Write: TypeAlias = Callable[[], object]
"""A write prepared inside a unit of work: its rows made, its checks ready; calling it runs the
statements and raises what they find, such as ConcurrentUpdate (what it returns means nothing).
A use case prepares all its writes before running the first, so that the transaction holds its
write locks (on SQLite, the whole database's) only while statements run, not while Python builds
rows."""


class UnitOfWork(Protocol):
    """One transaction: everything inside commits together or not at all."""

    @property
    def applications(self) -> ApplicationRepository: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def audit(self) -> AuditTrail: ...

    @property
    def wallet(self) -> Wallet: ...

    @property
    def reads(self) -> ApplicationReads: ...

    @property
    def ratings(self) -> Ratings: ...

    @property
    def uploads(self) -> Uploads: ...

    @property
    def drafts(self) -> Drafts: ...

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(self, *exc: object) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...


def retried_on_conflict(operation: Callable[P, R]) -> Callable[P, R]:
    """Run `operation` again (up to 20 times in all) when it raises ConcurrentUpdate. Only for
    use cases whose transaction that lost committed nothing before it lost."""

    @functools.wraps(operation)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        for attempt in range(ATTEMPTS):
            try:
                return operation(*args, **kwargs)
            except ConcurrentUpdate:
                if attempt == ATTEMPTS - 1:
                    raise
                time.sleep(random.uniform(0, min(LONGEST_WAIT_S, 0.001 * 2**attempt)))
        raise AssertionError("unreachable")

    return run
