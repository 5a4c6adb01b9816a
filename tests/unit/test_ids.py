"""Ids come from an injected source; the one a deployment uses makes time-ordered UUIDs."""

from __future__ import annotations

import re
import time
import uuid

from yijianshi.services.ids import TimeOrderedIds


def test_random_ids_are_version_7_uuids_in_hex_ordered_by_time_and_do_not_repeat() -> None:
    random_id = TimeOrderedIds()
    before = time.time_ns() // 1_000_000
    ids = [random_id() for _ in range(5000)]  # more than one block of randomness
    after = time.time_ns() // 1_000_000
    assert len(set(ids)) == len(ids)
    assert all(
        re.fullmatch(r"[0-9a-f]{32}", i)
        and uuid.UUID(i).version == 7
        and uuid.UUID(i).variant == uuid.RFC_4122
        for i in ids
    )
    made = [int(i[:12], 16) for i in ids]  # the first 48 bits: Unix time in milliseconds
    assert made == sorted(made)
    assert before <= made[0]
    assert made[-1] <= after
    assert len({i[13:] for i in ids}) == len(ids)  # the random part alone differs too


def test_ids_take_their_time_and_randomness_from_the_sources_given() -> None:
    ids = TimeOrderedIds(clock_ns=lambda: 1_700_000_000_123_000_000, random=lambda n: bytes(n))
    made = ids()
    assert made[:12] == (1_700_000_000_123).to_bytes(6, "big").hex()
    assert uuid.UUID(made).version == 7
    assert made == ids()  # same time, same (all-zero) randomness: the sources decide everything
