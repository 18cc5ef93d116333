"""Holiday calendar: public holidays, 调休 make-up workdays, overrides, unknown years."""
from datetime import date

import pytest

from bot.roster import HolidayCalendar


def test_national_day_is_a_named_holiday(calendar):
    assert calendar.kind(date(2026, 10, 1)) == "holiday"
    assert calendar.holiday_name(date(2026, 10, 1)) == "国庆节"


def test_weekend_inside_golden_week_is_holiday(calendar):
    assert calendar.kind(date(2026, 10, 3)) == "holiday"  # a Saturday


@pytest.mark.parametrize("d", [date(2026, 2, 14), date(2026, 9, 20), date(2026, 10, 10)])
def test_tiaoxiu_weekend_days_are_makeup_workdays(calendar, d):
    # chinese_calendar 1.11: 2026-02-14 (Sat, 春节), 2026-09-20 (Sun) and 2026-10-10 (Sat, 国庆)
    assert d.weekday() >= 5
    assert calendar.kind(d) == "makeup_workday"
    assert calendar.holiday_name(d) is None
    assert not calendar.is_rest_day(d)


def test_plain_days(calendar):
    assert calendar.kind(date(2026, 11, 30)) == "workday"  # Monday
    assert calendar.kind(date(2026, 11, 28)) == "weekend"  # Saturday
    assert calendar.holiday_name(date(2026, 11, 28)) is None


def test_unknown_year_falls_back_to_weekends(calendar):
    assert calendar.known(2026)
    assert not calendar.known(2031)
    assert calendar.kind(date(2031, 10, 1)) == "workday"  # Wednesday; no official data
    assert calendar.kind(date(2031, 10, 4)) == "weekend"


def test_overrides_win_and_cover_unknown_years():
    cal = HolidayCalendar({
        date(2031, 10, 1): "holiday:国庆节",
        date(2031, 9, 28): "makeup_workday",
        date(2026, 10, 1): "workday",
        date(2031, 10, 2): "holiday",
    })
    assert cal.kind(date(2031, 10, 1)) == "holiday"
    assert cal.holiday_name(date(2031, 10, 1)) == "国庆节"
    assert cal.holiday_name(date(2031, 10, 2)) == "节假日"
    assert cal.kind(date(2031, 9, 28)) == "makeup_workday"
    assert cal.kind(date(2026, 10, 1)) == "workday"


def test_bad_override_is_refused():
    with pytest.raises(ValueError):
        HolidayCalendar({date(2026, 1, 1): "party"})
