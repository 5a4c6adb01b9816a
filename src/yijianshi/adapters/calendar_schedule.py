"""Holiday schedules for the working-day calendar.

Three sources, first match wins for a year:
1. an override file an administrator loads when the State Council publishes a schedule
   (YAML: `years: {2027: {holidays: [dates], workdays: [dates]}}`), marked official;
2. the `chinesecalendar` package's official schedules (2004 up to the year it knows);
3. statutory holidays computed by rule with the `holidays` package, marked provisional:
   no make-up working days are known for such a year.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import chinese_calendar
import holidays
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from yijianshi.adapters.catalog_files.loader import describe_validation
from yijianshi.adapters.catalog_files.yaml_lines import YamlSyntaxError, load
from yijianshi.domain.calendar import WorkingCalendar, YearSchedule
from yijianshi.domain.problems import Line, Problem, untranslated
from yijianshi.services.catalogue.ports import InputFileError

PROVISIONAL_UNTIL = 2099


class _YearModel(BaseModel):
    model_config = ConfigDict(extra="forbid")
    holidays: list[dt.date] = Field(default_factory=list, description="Days off, weekends included")
    workdays: list[dt.date] = Field(default_factory=list, description="Make-up working days")


class _OverrideFile(BaseModel):
    model_config = ConfigDict(extra="forbid")
    years: dict[int, _YearModel]


def _official_years() -> tuple[int, int]:
    known = [day.year for day in chinese_calendar.constants.holidays]
    return min(known), max(known)


def official(year: int) -> YearSchedule | None:
    """The published schedule of `year` from the chinesecalendar package, if it knows it."""
    first, last = _official_years()
    if not first <= year <= last:
        return None
    return YearSchedule(
        year,
        frozenset(d for d in chinese_calendar.constants.holidays if d.year == year),
        frozenset(d for d in chinese_calendar.constants.workdays if d.year == year),
    )


def provisional(year: int) -> YearSchedule | None:
    """Statutory holidays of `year` computed by rule; None past the provisional horizon."""
    if year > PROVISIONAL_UNTIL:
        return None
    days: Any = holidays.country_holidays("CN", years=year)
    return YearSchedule(year, frozenset(days.keys()), frozenset(), provisional=True)


def load_overrides(path: Path) -> dict[int, YearSchedule]:
    """Read an override file; raise InputFileError with file:line for each problem."""
    try:
        located = load(path)
        parsed = _OverrideFile.model_validate(located.data)
    except (OSError, YamlSyntaxError) as error:
        line = getattr(error, "line", 1)
        raise InputFileError([Problem(Line(str(path), line), untranslated(str(error)))]) from None
    except ValidationError as error:
        raise InputFileError(
            [
                Problem(Line(str(path), located.line(where)), untranslated(message))
                for where, message in describe_validation(error)
            ]
        ) from None
    return {
        year: YearSchedule(year, frozenset(m.holidays), frozenset(m.workdays))
        for year, m in parsed.years.items()
    }


def chinese_working_calendar(overrides: Path | None = None) -> WorkingCalendar:
    """A working calendar over overrides, then the official schedule, then provisional rules."""
    table = load_overrides(overrides) if overrides else {}

    def schedule_for(year: int) -> YearSchedule | None:
        return table.get(year) or official(year) or provisional(year)

    return WorkingCalendar(schedule_for)
