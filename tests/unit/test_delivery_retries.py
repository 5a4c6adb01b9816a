"""Retries of failed deliveries: exponential backoff with jitter, capped, within a budget."""

from __future__ import annotations

import datetime as dt

import pytest

from yijianshi.services.delivery.dispatching import RetryPolicy
from yijianshi.services.delivery.ports import Dispatch

NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8)))


def dispatch(attempts: int) -> Dispatch:
    return Dispatch("e1", "a1", "c1", "item", "dept", {}, NOW, attempts)


@pytest.mark.parametrize(("attempts", "seconds"), [(1, 2), (2, 4), (3, 8), (6, 64), (10, 600), (500, 600)])
def test_the_backoff_doubles_per_failed_attempt_up_to_the_cap(attempts: int, seconds: float) -> None:
    longest = RetryPolicy(base_s=2, cap_s=600, random=lambda: 0.999999)
    shortest = RetryPolicy(base_s=2, cap_s=600, random=lambda: 0.0)
    assert longest.delay(attempts).total_seconds() == pytest.approx(seconds, rel=1e-5)
    assert shortest.delay(attempts).total_seconds() == pytest.approx(seconds / 2)


def test_jitter_spreads_retries_between_half_and_all_of_the_backoff() -> None:
    policy = RetryPolicy(base_s=1, cap_s=100)
    delays = {policy.delay(4).total_seconds() for _ in range(200)}
    assert all(4 <= d <= 8 for d in delays)
    assert len(delays) > 100, "retries of many dispatches do not all come back at once"


def test_a_failure_within_the_budget_is_retried_after_the_backoff() -> None:
    policy = RetryPolicy(base_s=2, cap_s=600, budget=3, random=lambda: 0.0)
    failure = policy.after_failure(dispatch(attempts=1), "HTTP 503", NOW)
    assert failure.attempts == 2
    assert failure.retry_at == NOW + dt.timedelta(seconds=2)
    assert failure.error == "HTTP 503"


def test_the_failure_that_uses_the_budget_dead_letters_the_dispatch() -> None:
    policy = RetryPolicy(budget=3)
    failure = policy.after_failure(dispatch(attempts=2), "connection refused", NOW)
    assert failure.attempts == 3
    assert failure.retry_at is None


def test_a_long_reason_is_shortened_for_the_administrator() -> None:
    failure = RetryPolicy().after_failure(dispatch(attempts=0), "x" * 5000, NOW)
    assert len(failure.error) == 500
