"""The roster in the database: shift change, leave with stand-ins, swaps, fairness."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings as hsettings, strategies as st

from bot.db.models import DutyOverride
from bot.roster.changes import fairness, leave, swap
from bot.roster.store import RosterDuty, effective_roster
from bot.roster.rotation import RosterError
from tests.scheduler.helpers import local

DEC1 = date(2026, 12, 1)
OFF_LIMITS = {"孙浩", "马琳", "周婷"}  # never_pair / no_holiday_duty in the demo config


def names(desk, day: date, days: int = 1):
    with desk.session() as s:
        return [r.staff for r in effective_roster(s, desk.settings, day, days)]


def someone_off(desk, day: date, count: int = 1) -> list[str]:
    """Staff free on `day` and its neighbours, without special constraints."""
    busy = {n for pair in names(desk, day - timedelta(days=1), 3) for n in pair}
    return [s.name for s in desk.settings.staff if s.name not in busy | OFF_LIMITS][:count]


def test_on_duty_follows_the_shift_change_in_shanghai(desk):
    duty = desk.services.duty
    assert isinstance(duty, RosterDuty)
    nov30, dec1 = names(desk, DEC1 - timedelta(days=1), 2)
    with desk.session() as s:
        before = [p.name for p in duty.on_duty(s, local(2026, 12, 1, 8, 29))]
        after = [p.name for p in duty.on_duty(s, local(2026, 12, 1, 8, 30))]
        night = [p.name for p in duty.on_duty(s, local(2026, 12, 2, 3, 0))]
        assert [p.name for p in duty.leads(s)] == ["张伟"]
    assert before == nov30 and after == night == dec1
    assert len(dec1) == 2 and not set(nov30) & set(dec1)


def test_a_day_with_one_person_on_leave_still_has_two_on_duty(desk):
    now = desk.clock.now()
    keeps, leaver = names(desk, DEC1)[0]
    with desk.session() as s:
        change = leave(s, leaver, DEC1, DEC1 + timedelta(days=6), "张伟", now, settings=desk.settings)
    assert change.notes and all(f"顶替{leaver}" in n for n in change.notes)
    week = names(desk, DEC1, 7)
    assert all(len(set(day)) == 2 and leaver not in day for day in week)
    assert keeps in week[0]
    with desk.session() as s:
        kinds = sorted(o.kind for o in s.query(DutyOverride))
        on_duty = [p.name for p in desk.services.duty.on_duty(s, local(2026, 12, 1, 12))]
    assert kinds == ["leave"]  # one record; stand-ins follow from it deterministically
    assert on_duty == week[0]
    stand_ins = {n.split("：")[1].split("顶替")[0] for n in change.notes}
    assert stand_ins <= {n for day in week for n in day}


def test_stand_in_respects_rest_and_never_pair(desk):
    leaver, keeps = names(desk, DEC1)[0]
    with desk.session() as s:
        leave(s, leaver, DEC1, DEC1, "张伟", desk.clock.now(), settings=desk.settings)
    pair = names(desk, DEC1)[0]
    stand_in = next(n for n in pair if n != keeps)
    neighbours = names(desk, DEC1 - timedelta(days=1))[0] + names(desk, DEC1 + timedelta(days=1))[0]
    assert stand_in not in neighbours  # min_rest_days: 1
    assert {stand_in, keeps} != {"孙浩", "马琳"}


def test_leave_is_refused_when_nobody_can_stand_in(desk):
    pair = names(desk, DEC1)[0]
    with desk.session() as s:
        from bot.db.models import Staff

        for person in s.query(Staff):
            person.eligible = person.name in pair
    with desk.session() as s, pytest.raises(RosterError) as err:
        leave(s, pair[1], DEC1, DEC1, "张伟", desk.clock.now(), settings=desk.settings)
    assert err.value.message_zh.startswith(f"{pair[1]}的请假未登记") and "顶班人员不足" in err.value.message_zh
    with desk.session() as s:
        assert s.query(DutyOverride).count() == 0


def test_swap_replaces_one_duty_and_keeps_history(desk):
    keeps, out = names(desk, DEC1)[0]
    (inn,) = someone_off(desk, DEC1)
    with desk.session() as s:
        change = swap(s, DEC1, out, inn, "张伟", desk.clock.now(), settings=desk.settings)
    assert change.notes == [f"12月1日（周二）：{inn}替{out}值班"]
    assert sorted(names(desk, DEC1)[0]) == sorted([keeps, inn])
    with desk.session() as s:
        swap(s, DEC1, inn, out, "张伟", desk.clock.now(), settings=desk.settings)
        assert s.query(DutyOverride).count() == 2  # swapping back adds a record, never rewrites
    assert sorted(names(desk, DEC1)[0]) == sorted([keeps, out])


@pytest.mark.parametrize("case,msg", [("both_on", "都在值班"), ("both_off", "都不在值班"), ("unknown", "找不到在职工作人员")])
def test_impossible_swaps_are_refused_in_chinese(desk, case, msg):
    pair = names(desk, DEC1)[0]
    a, b = {"both_on": pair, "both_off": someone_off(desk, DEC1, 2), "unknown": [pair[0], "无名氏"]}[case]
    with desk.session() as s, pytest.raises(RosterError) as err:
        swap(s, DEC1, a, b, "张伟", desk.clock.now(), settings=desk.settings)
    assert msg in err.value.message_zh


def test_never_pair_is_refused_for_a_swap(desk):
    day = next(DEC1 + timedelta(days=i) for i, pair in enumerate(names(desk, DEC1, 28)) if "孙浩" in pair)
    partner = next(n for n in names(desk, day)[0] if n != "孙浩")
    with desk.session() as s, pytest.raises(RosterError) as err:
        swap(s, day, partner, "马琳", "张伟", desk.clock.now(), settings=desk.settings)
    assert "马琳不能与孙浩同班" in err.value.message_zh


@hsettings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(leaves=st.lists(st.tuples(st.sampled_from(["王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "周婷"]),
                                 st.integers(0, 300), st.integers(0, 6)), max_size=4))
def test_a_year_with_random_leave_keeps_two_on_duty_and_nobody_away(desk, leaves):
    start = date(2027, 1, 1)
    with desk.session() as s:
        s.query(DutyOverride).delete()
    recorded = []
    for name, offset, length in leaves:
        first = start + timedelta(days=offset)
        try:
            with desk.session() as s:
                leave(s, name, first, first + timedelta(days=length), "张伟", desk.clock.now(), settings=desk.settings)
            recorded.append((name, first, first + timedelta(days=length)))
        except RosterError:
            pass
    days = names(desk, start, 365)
    assert all(len(set(pair)) == 2 for pair in days)
    for name, first, last in recorded:
        for i in range((last - first).days + 1):
            assert name not in days[(first - start).days + i]
    if not leaves:
        with desk.session() as s:
            assert fairness(s, desk.settings, start, 365).window_spread <= 1


def test_a_year_from_the_staff_table_is_fair(desk):
    """DB-level check of the pure roster's promise, on the demo staff (13, one without holiday duty)."""
    with desk.session() as s:
        f = fairness(s, desk.settings, date(2026, 1, 1), 365)
    assert f.window_spread <= 1 and f.rest_spread <= 1
    assert len(f.rows) == 13 and sum(r.total for r in f.rows) == 2 * 365
    zhouting = next(r for r in f.rows if r.name == "周婷")
    assert zhouting.no_holiday_duty and zhouting.rest_days == 0 and zhouting.total >= 55


def test_a_leave_that_no_longer_fits_is_set_aside_and_named(desk):
    pair = names(desk, DEC1)[0]
    with desk.session() as s:
        leave(s, pair[1], DEC1, DEC1, "张伟", desk.clock.now(), settings=desk.settings)
        from bot.db.models import Staff

        for person in s.query(Staff):  # later, everyone else becomes unavailable
            person.eligible = person.name in pair
    with desk.session() as s:
        day = effective_roster(s, desk.settings, DEC1, 1)[0]
        on_duty = [p.name for p in desk.services.duty.on_duty(s, local(2026, 12, 1, 12))]
    assert sorted(day.staff) == sorted(pair) == sorted(on_duty)  # the desk is still staffed
    assert any("无法执行" in n for n in day.notes) and day.away == [pair[1]]
