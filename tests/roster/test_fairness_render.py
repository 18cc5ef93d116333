"""Fairness report figures and the CJK-aligned tables."""
from datetime import date

from bot.roster import (
    DutyDay, RosterRules, StaffMember, fairness_report, generate, render_fairness, render_table,
)
from bot.roster.render import display_width
from tests.roster.support import NAMES


def day(d, a, b, kind="workday"):
    return DutyDay(d, (a, b), kind)


def test_report_counts_and_spreads():
    staff = [StaffMember("甲"), StaffMember("乙"), StaffMember("丙"), StaffMember("丁", no_holiday_duty=True)]
    days = [
        day(date(2026, 12, 1), "甲", "乙"),
        day(date(2026, 12, 2), "丙", "丁"),
        day(date(2026, 12, 5), "甲", "丙", "weekend"),
        day(date(2026, 12, 6), "甲", "乙", "holiday"),
    ]
    r = fairness_report(days, staff)
    stats = {p.name: p for p in r.people}
    assert (stats["甲"].total, stats["甲"].weekend, stats["甲"].holiday) == (3, 1, 1)
    assert stats["丁"].total == 1 and stats["丁"].rest_days == 0
    assert r.spread_total == 2  # 甲 3 vs 丁 1
    assert r.spread_rest_days == 1  # 甲 2 vs 乙/丙 1; 丁 (no holiday duty, 0) is left out
    assert r.worst_window_spread == 2 and r.worst_window_start == date(2026, 12, 1)
    assert (r.start, r.end) == (date(2026, 12, 1), date(2026, 12, 6))


def test_worst_window_finds_the_unfair_stretch():
    staff = [StaffMember(n) for n in "甲乙丙丁"]
    fair = [day(date(2026, 1, 1 + i), *(("甲", "乙") if i % 2 else ("丙", "丁"))) for i in range(28)]
    skewed = [day(date(2026, 1, 29 + i), "甲", "乙" if i % 2 else "丙") for i in range(3)]
    r = fairness_report(fair + skewed, staff)
    assert r.worst_window_spread == 4  # window from 01-04: 甲 16 vs 丁 12
    assert r.worst_window_start == date(2026, 1, 4)


def test_generated_year_reports_spread_at_most_one(calendar):
    staff = [StaffMember(n, no_holiday_duty=(n == "马琳")) for n in NAMES]
    days = generate(staff, RosterRules(anchor=date(2025, 1, 1)), date(2025, 1, 1), 365, calendar)
    r = fairness_report(days, staff)
    assert r.worst_window_spread <= 1 and r.spread_total <= 1
    assert {p.name: p.rest_days for p in r.people}["马琳"] == 0
    text = render_fairness(r)
    assert "最差28天窗口差值：1" in text or "最差28天窗口差值：0" in text


def test_table_columns_line_up_in_display_width(calendar, staff):
    days = generate(staff, RosterRules(anchor=date(2026, 9, 28)), date(2026, 9, 28), 14, calendar)
    lines = render_table(days).splitlines()
    assert lines[0].split() == ["日期", "星期", "类型", "值班人员", "备注"]
    assert len(lines) == 16
    col = display_width(lines[0][: lines[0].index("值班人员")])
    for line in lines[2:]:
        names = line.split()[3]
        assert display_width(line[: line.index(names)]) == col
    assert "国庆节" in render_table(days) and "调休上班" in render_table(days)


def test_display_width_counts_cjk_as_two():
    assert display_width("abc") == 3
    assert display_width("张伟") == 4
    assert display_width("，A") == 3
