import datetime as dt
from pathlib import Path

import pytest

from tests.factories import MONDAY, plain_calendar
from yijianshi.adapters.calendar_schedule import PROVISIONAL_UNTIL, chinese_working_calendar
from yijianshi.domain.errors import CalendarOutOfRange
from yijianshi.services.catalogue.ports import InputFileError


def test_the_day_of_acceptance_is_not_counted() -> None:
    deadline = plain_calendar().add_working_days(MONDAY, 1)
    assert deadline.date == MONDAY + dt.timedelta(days=1)


def test_a_period_of_zero_days_ends_the_same_day() -> None:
    assert plain_calendar().add_working_days(MONDAY, 0).date == MONDAY


def test_weekends_are_skipped() -> None:
    friday = MONDAY + dt.timedelta(days=4)
    assert plain_calendar().add_working_days(friday, 1).date == friday + dt.timedelta(days=3)


def test_national_day_holidays_are_skipped_and_make_up_days_count() -> None:
    calendar = chinese_working_calendar()
    # 2026: 1-7 October off; Saturday 10 October is a make-up working day
    assert calendar.add_working_days(dt.date(2026, 9, 30), 1).date == dt.date(2026, 10, 8)
    assert calendar.add_working_days(dt.date(2026, 10, 9), 1).date == dt.date(2026, 10, 10)
    assert not calendar.add_working_days(dt.date(2026, 9, 30), 1).provisional


def test_twenty_working_days_across_spring_festival_2026() -> None:
    calendar = chinese_working_calendar()
    deadline = calendar.add_working_days(dt.date(2026, 2, 2), 20)
    assert deadline.date == dt.date(2026, 3, 6)  # 14 and 28 February are make-up days
    assert calendar.working_days_between(dt.date(2026, 2, 2), deadline.date) == 20


def test_a_date_in_a_year_without_an_official_schedule_is_provisional() -> None:
    calendar = chinese_working_calendar()
    deadline = calendar.add_working_days(dt.date(2026, 12, 30), 3)
    assert deadline.provisional
    assert deadline.date == dt.date(2027, 1, 5)  # 1 January 2027 is a statutory holiday


def test_an_override_file_makes_a_year_official(tmp_path: Path) -> None:
    overrides = tmp_path / "calendar.yaml"
    overrides.write_text(
        "years:\n  2027:\n    holidays: [2027-01-01, 2027-01-04]\n    workdays: [2027-01-09]\n",
        encoding="utf-8",
    )
    calendar = chinese_working_calendar(overrides)
    deadline = calendar.add_working_days(dt.date(2026, 12, 31), 2)
    assert deadline.date == dt.date(2027, 1, 6)
    assert not deadline.provisional
    assert calendar.add_working_days(dt.date(2027, 1, 8), 1).date == dt.date(2027, 1, 9)


def test_a_malformed_override_file_names_its_line(tmp_path: Path) -> None:
    overrides = tmp_path / "calendar.yaml"
    overrides.write_text("years:\n  2027:\n    holidays: [2027-13-01]\n", encoding="utf-8")
    with pytest.raises(InputFileError) as caught:
        chinese_working_calendar(overrides)
    assert caught.value.findings[0].where.line == 3


def test_a_year_past_every_schedule_is_refused_clearly() -> None:
    with pytest.raises(CalendarOutOfRange, match="override file"):
        chinese_working_calendar().add_working_days(dt.date(PROVISIONAL_UNTIL, 12, 30), 5)
