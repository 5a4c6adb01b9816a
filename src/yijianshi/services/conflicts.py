"""Retrying a use case that lost a race for an application's audit trail or version.

Reads of personal data are audited in the application's trail, so two people (or a person and the
worker) reading or changing the same application at the same moment both append to one hash
chain; the chain's head moves by compare-and-swap and the loser's transaction is rolled back with
ConcurrentUpdate. Such a use case is simply run again: it opened its own units of work and
committed nothing when it lost. Between attempts it waits a random moment, longer each time (up
to 50 ms), so that many people on one application take turns instead of colliding again.
"""

from __future__ import annotations

import functools
import random
import time
from collections.abc import Callable
from typing import ParamSpec, TypeVar

from yijianshi.services.ports import ConcurrentUpdate

P = ParamSpec("P")
R = TypeVar("R")
ATTEMPTS = 20
LONGEST_WAIT_S = 0.05


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
