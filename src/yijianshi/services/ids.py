"""Where the ids of new things come from: applications, cases, dispatches, uploads, ratings.

An id source is any `Callable[[], str]` in a use case's context, injected so that tests can make
ids they can predict. `TimeOrderedIds` is the one a deployment uses.
"""

from __future__ import annotations

import functools
import os
import threading
from collections.abc import Callable
from time import time_ns
from typing import TypeAlias

Ids: TypeAlias = Callable[[], str]
"""Makes a new id, different from every id made before (by any process of the deployment)."""


class TimeOrderedIds:
    """New time-ordered UUIDs (version 7, RFC 9562) in hex: the Unix time in milliseconds, then 74
    random bits from the operating system. Thread-safe.

    Time-ordered, because ids are keys: rows made about the same time sit side by side in every
    index on them (the outbox's, the cases', the audit trail's by application), so a transaction
    that writes a batch of them changes a few index pages at the right edge instead of one random
    page per row. The random part keeps them unguessable; what they reveal is when they were made.
    Ids are made on hot paths (every event, case and dispatch), often by many threads at once, so
    the randomness is read in blocks: one system call per 409 ids. A process forked from one that
    made ids starts with an empty block, so that it never repeats its parent's.
    """

    def __init__(self, clock_ns: Callable[[], int] = time_ns, random: Callable[[int], bytes] = os.urandom):
        self._clock_ns = clock_ns
        self._random = random
        self._block = bytearray()
        self._lock = threading.Lock()
        os.register_at_fork(after_in_child=self._block.clear)

    def __call__(self) -> str:
        with self._lock:
            if len(self._block) < 10:
                self._block.extend(self._random(4096))
            random = self._block[-10:]
            del self._block[-10:]
        random[0] = random[0] & 0x0F | 0x70  # version 7
        random[2] = random[2] & 0x3F | 0x80  # the RFC 9562 variant
        return _millisecond(self._clock_ns() // 1_000_000) + random.hex()


@functools.lru_cache(maxsize=4)  # ids come many per millisecond
def _millisecond(ms: int) -> str:
    return ms.to_bytes(6, "big").hex()
