"""Overrides: swaps, leave with fair substitutes, refusals, and the shift-change boundary."""
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given, settings, strategies as st

from bot.roster import (
    Override, RosterError, RosterRules, StaffMember, apply, check_leave, duty_date, effective,
    generate, on_duty_at,
)
from tests.roster.support import NAMES

ANCHOR = date(2026, 12, 1)
RULES = RosterRules(anchor=ANCHOR, never_pair=(frozenset({"张伟", "李娜"}),))
T0 = datetime(2026, 11, 20, 9, 0)


def ov(kind, day, staff, other=None, *, to=None, n=0, id=None):
    return Override(id, kind, day, to or day, staff, other, "test", T0 + timedelta(minutes=n), "admin")


@pytest.fixture
def base(calendar, staff):
    return generate(staff, RULES, ANCHOR, 60, calendar)


def on(days, d):
    return next(x for x in days if x.day == d)


def test_swap_gives_the_duty_to_the_other_person(base, staff, calendar):
    day = date(2026, 12, 3)
    a, b = on(base, day).staff[0], "马琳"
    assert b not in on(base, day).staff
    out = apply(base, [ov("swap", day, a, b)], staff, RULES, calendar)
    assert b in on(out, day).staff and a not in on(out, day).staff
    assert f"{a}与{b}换班" in on(out, day).notes
    assert [x for x in out if x.day != day] == [x for x in base if x.day != day]


def test_swap_with_someone_already_on_duty_is_an_error(base, staff, calendar):
    day = date(2026, 12, 3)
    a, b = on(base, day).staff
    with pytest.raises(RosterError) as err:
        apply(base, [ov("swap", day, a, b)], staff, RULES, calendar)
    assert "已在值班" in err.value.message_zh


def test_swap_from_someone_not_on_duty_is_an_error(base, staff, calendar):
    day = date(2026, 12, 3)
    free = [n for n in NAMES if n not in on(base, day).staff]
    with pytest.raises(RosterError):
        apply(base, [ov("swap", day, free[0], free[1])], staff, RULES, calendar)


def test_swap_into_a_never_pair_is_refused(base, staff, calendar):
    day = next(d.day for d in base if "张伟" in d.staff)
    partner = next(n for n in on(base, day).staff if n != "张伟")
    with pytest.raises(RosterError):
        apply(base, [ov("swap", day, partner, "李娜")], staff, RULES, calendar)


def test_leave_is_filled_fairly_and_noted(base, staff, calendar):
    start, end = date(2026, 12, 10), date(2026, 12, 20)
    who = on(base, start).staff[0]
    leave = ov("leave", start, who, to=end)
    subs = check_leave(base, [], leave, staff, RULES, calendar)
    out = apply(base, [leave], staff, RULES, calendar)
    dates = [d.day for d in base if start <= d.day <= end and who in d.staff]
    assert [s.day for s in subs] == dates and len(dates) >= 2
    for s in subs:
        day = on(out, s.day)
        assert who not in day.staff and s.substitute in day.staff and len(set(day.staff)) == 2
        assert f"{who}请假，由{s.substitute}顶班" in day.notes
        assert frozenset(day.staff) not in RULES.never_pair
        assert not s.relaxed  # 12 others: min rest can always be kept
        for near in (s.day - timedelta(days=1), s.day + timedelta(days=1)):
            assert s.substitute not in on(out, near).staff
    assert len({s.substitute for s in subs}) == len(subs)  # load is spread, not dumped on one
    assert all(who not in d.staff for d in out if start <= d.day <= end)


def test_person_on_leave_is_not_chosen_as_a_substitute(base, staff, calendar):
    day = date(2026, 12, 5)
    absent = on(base, day).staff[0]
    others = [n for n in NAMES if n not in on(base, day).staff]
    leaves = [ov("leave", day, n, n=i) for i, n in enumerate(others[:-1])]
    leaves.append(ov("leave", day, absent, n=99))
    out = apply(base, leaves, staff, RULES, calendar)
    assert others[-1] in on(out, day).staff  # the only one neither on duty nor on leave


def test_leave_refused_when_nobody_can_cover(calendar):
    two = [StaffMember("张伟"), StaffMember("王芳")]
    rules = RosterRules(anchor=ANCHOR)
    base = generate(two, rules, ANCHOR, 10, calendar)
    with pytest.raises(RosterError) as err:
        check_leave(base, [], ov("leave", date(2026, 12, 3), "张伟"), two, rules, calendar)
    assert err.value.message_zh == "2026-12-03 无法安排2人值班：可顶班人员不足"
    assert "Chinese" not in str(err.value) and "2026-12-03" in str(err.value)


def test_overrides_apply_in_created_at_order(base, staff, calendar):
    # A day on which neither 马琳 nor 孙浩 is on duty (the rotation decides which one).
    day = next(d.day for d in base if not {"马琳", "孙浩"} & set(d.staff))
    a = on(base, day).staff[0]
    first, second = ov("swap", day, a, "马琳", n=1), ov("swap", day, "马琳", "孙浩", n=2)
    out = apply(base, [second, first], staff, RULES, calendar)
    assert "孙浩" in on(out, day).staff and "马琳" not in on(out, day).staff
    with pytest.raises(RosterError):  # reversed creation order: 马琳 is not on duty yet
        apply(base, [ov("swap", day, "马琳", "孙浩", n=1), ov("swap", day, a, "马琳", n=2)],
              staff, RULES, calendar)


def test_assign_puts_someone_in_anothers_place(base, staff, calendar):
    day = date(2026, 12, 4)
    out_name = on(base, day).staff[1]
    into = next(n for n in NAMES if n not in on(base, day).staff and n != "李娜" and n != "张伟")
    out = apply(base, [ov("assign", day, into, out_name)], staff, RULES, calendar)
    assert into in on(out, day).staff and out_name not in on(out, day).staff


def test_effective_matches_manual_apply(staff, calendar):
    leave = ov("leave", date(2026, 12, 20), "王芳", to=date(2026, 12, 27))
    got = effective(staff, RULES, calendar, date(2026, 12, 20), 7, [leave])
    assert [d.day for d in got] == [date(2026, 12, 20) + timedelta(days=i) for i in range(7)]
    assert all("王芳" not in d.staff for d in got)


def test_three_in_the_morning_belongs_to_the_previous_duty_day(base):
    assert duty_date(datetime(2026, 12, 4, 3, 0)) == date(2026, 12, 3)
    assert duty_date(datetime(2026, 12, 4, 8, 29, 59)) == date(2026, 12, 3)
    assert duty_date(datetime(2026, 12, 4, 8, 30)) == date(2026, 12, 4)
    assert on_duty_at(datetime(2026, 12, 4, 3, 0), base) == on(base, date(2026, 12, 3))
    assert on_duty_at(datetime(2026, 12, 4, 9, 0), base) == on(base, date(2026, 12, 4))


def test_shift_change_and_time_zone_come_from_rules(base):
    utc_0200 = datetime(2026, 12, 4, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai
    assert on_duty_at(utc_0200, base).day == date(2026, 12, 4)
    late = RosterRules(anchor=ANCHOR, shift_change=time(11, 0))
    assert on_duty_at(utc_0200, base, rules=late).day == date(2026, 12, 3)
    with pytest.raises(RosterError):
        on_duty_at(datetime(2030, 1, 1, 12, 0), base)


@settings(max_examples=50, deadline=None)
@given(leaves=st.lists(
    st.tuples(st.sampled_from(NAMES), st.integers(0, 55), st.integers(0, 6)), min_size=1, max_size=6))
def test_random_leave_keeps_every_day_staffed_and_legal(calendar, leaves):
    staff = [StaffMember(n, no_holiday_duty=(n == "马琳")) for n in NAMES]
    base = generate(staff, RULES, ANCHOR, 60, calendar)
    ovs = [ov("leave", ANCHOR + timedelta(days=s), who, to=ANCHOR + timedelta(days=s + n), n=i)
           for i, (who, s, n) in enumerate(leaves)]
    away = {(o.staff, o.day_from + timedelta(days=k))
            for o in ovs for k in range((o.day_to - o.day_from).days + 1)}
    try:
        out = apply(base, ovs, staff, RULES, calendar)
    except RosterError as err:  # only when a day truly has nobody left to cover
        assert "可顶班人员不足" in err.message_zh
        return
    for d in out:
        assert len(set(d.staff)) == 2
        assert not any((n, d.day) in away for n in d.staff)
        assert frozenset(d.staff) not in RULES.never_pair
        if calendar.is_rest_day(d.day):
            assert "马琳" not in d.staff
