"""What the reform office watches: volumes, completion times, time-limit compliance, ratings."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from yijianshi.domain.calendar import WorkingCalendar
from yijianshi.domain.cases import Case, CaseState
from yijianshi.domain.ratings import RatingLevel, RectificationStatus
from yijianshi.services.context import Context


@dataclass(frozen=True, slots=True)
class Statistics:
    applications: dict[str, dict[str, int]]  # bundle -> status -> count
    cases_completed: int
    mean_working_days: float | None  # acceptance to completion, pauses excluded
    within_time_limit: float | None  # share of completed cases finished by their deadline
    overdue_open: int  # cases still open past their deadline
    ratings: dict[str, int] = field(default_factory=dict)  # level -> count
    satisfaction: float | None = None  # share of ratings that are not bad
    rectifications_open: int = 0
    rectifications_overdue: int = 0
    completion_days: dict[int, int] = field(default_factory=dict)  # working days -> completed cases


@dataclass(frozen=True, slots=True)
class ComputeStatistics:
    """Command: compute the figures the reform office watches, over every application."""


def statistics(context: Context, command: ComputeStatistics) -> Statistics:
    """Figures over every application; a share is None while there is nothing to count."""
    today, calendar = context.clock.today(), context.calendar
    with context.unit_of_work() as uow:
        rows, cases = uow.reads.all_rows(), uow.reads.all_cases()
        ratings, rectifications = uow.ratings.all(), uow.ratings.rectifications()
    volumes: dict[str, Counter[str]] = {}
    for row in rows:
        volumes.setdefault(row.bundle, Counter())[row.status] += 1
    finished = [f for _, c in cases if (f := _finished(c, calendar)) is not None]
    days = [d for d, _ in finished]
    overdue = sum(1 for _, c in cases if not c.final and (c.deadline(calendar, today) or today) < today)
    levels = Counter(r.level for r in ratings)
    open_ones = [r for r in rectifications if r.status is RectificationStatus.OPEN]
    return Statistics(
        {bundle: dict(counts) for bundle, counts in sorted(volumes.items())},
        len(finished),
        round(sum(days) / len(days), 2) if days else None,
        round(sum(in_time for _, in_time in finished) / len(finished), 4) if finished else None,
        overdue,
        {level.value: levels.get(level, 0) for level in RatingLevel},
        round(sum(n for level, n in levels.items() if not level.bad) / len(ratings), 4) if ratings else None,
        len(open_ones),
        sum(1 for r in open_ones if r.due < today),
        dict(sorted(Counter(days).items())),
    )


def _finished(case: Case, calendar: WorkingCalendar) -> tuple[int, bool] | None:
    """(working days from acceptance to completion, pauses excluded; whether by the deadline)."""
    if case.state is not CaseState.COMPLETED or case.accepted_on is None or case.completed_on is None:
        return None
    days = calendar.working_days_between(case.accepted_on, case.completed_on) - case.paused_working_days(
        calendar, case.completed_on
    )
    deadline = case.deadline(calendar, case.completed_on)
    return days, deadline is None or case.completed_on <= deadline
