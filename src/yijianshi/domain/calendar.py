"""Working days on the Chinese calendar (工作日).

Periods are counted as the Administrative Licensing Law counts them: the day a period starts
is not counted (期间开始之日不计算在期间内); statutory holidays and weekends are skipped,
and make-up working days (调休上班) on weekends count as working days.

The calendar knows years through a `schedule_for(year)` function supplied by an adapter.
A year is *official* when its schedule was published by the State Council, *provisional*
when its holidays were computed by rule; a date reached through a provisional year is
marked provisional.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field

from yijianshi.domain.errors import CalendarOutOfRange


@dataclass(frozen=True, slots=True)
class YearSchedule:
    """One year's days off and make-up working days."""

    year: int
    holidays: frozenset[dt.date]
    workdays: frozenset[dt.date] = frozenset()
    provisional: bool = False


@dataclass(frozen=True, slots=True)
class Deadline:
    """The end of a period counted in working days."""

    date: dt.date
    working_days: int
    provisional: bool


@dataclass
class WorkingCalendar:
    """Counts working days with schedules obtained per year and cached."""

    schedule_for: Callable[[int], YearSchedule | None]
    _cache: dict[int, YearSchedule] = field(default_factory=dict, repr=False)

    def year(self, year: int) -> YearSchedule:
        """Return the schedule of `year`; raise CalendarOutOfRange when none is known."""
        schedule = self._cache.get(year)
        if schedule is None:
            schedule = self.schedule_for(year)
            if schedule is None:
                raise CalendarOutOfRange(year)
            self._cache[year] = schedule
        return schedule

    def is_working_day(self, day: dt.date) -> bool:
        """True when `day` is a working day (a weekday that is no holiday, or a make-up day)."""
        schedule = self.year(day.year)
        if day in schedule.workdays:
            return True
        return day.weekday() < 5 and day not in schedule.holidays

    def add_working_days(self, start: dt.date, working_days: int) -> Deadline:
        """Return the day on which a period of `working_days` starting at `start` ends.

        `start` itself is not counted; a period of 0 working days ends on `start`.
        Raises ValueError for a negative period and CalendarOutOfRange past known years.
        """
        if working_days < 0:
            raise ValueError("a period cannot be negative")
        provisional = self.year(start.year).provisional
        day, remaining = start, working_days
        while remaining:
            day += dt.timedelta(days=1)
            if self.is_working_day(day):
                remaining -= 1
            provisional = provisional or self.year(day.year).provisional
        return Deadline(day, working_days, provisional)

    def working_days_between(self, start: dt.date, end: dt.date) -> int:
        """Count working days after `start` up to and including `end` (0 when end <= start)."""
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            count += self.is_working_day(day)
        return count
