"""Roster console (issue 16): '现在值班' per the shift change, swaps and leave told and cancellable,
the missing-holiday-year warning."""
from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from sqlalchemy import select

from bot.db.models import DutyOverride, Outbox
from bot.roster.store import effective_roster
from tests.web.helpers import login, post

DEC1 = date(2026, 12, 1)


def pair(desk, day: date) -> list[str]:
    with desk.session() as s:
        return effective_roster(s, desk.settings, day, 1)[0].staff


def _texts(desk, needle: str) -> list[Outbox]:
    with desk.session() as s:
        return [o for o in s.scalars(select(Outbox)) if needle in o.text]


def test_on_duty_line_follows_the_shift_change_not_midnight(console):
    console.clock.set(datetime(2026, 12, 1, 18, 30, tzinfo=timezone.utc))  # 12-02 02:30 in Shanghai
    admin = login(console, "boss")
    page = admin.get("/admin/roster/").get_data(as_text=True)
    line = re.search(r'id="on-duty-now">(.*?)</div>', page, re.S).group(1)
    assert "12月1日 08:30 至 12月2日 08:30" in line
    for name in pair(console, DEC1):
        assert name in line
    assert "138000000" in line  # phone numbers
    assert re.search(r'class="day[^"]*today[^"]*" data-day="2026-12-01"', page)
    console.clock.set(datetime(2026, 12, 2, 0, 31, tzinfo=timezone.utc))  # 08:31: the next pair
    admin = login(console, "boss")
    line = re.search(r'id="on-duty-now">(.*?)</div>', admin.get("/admin/tickets/").get_data(as_text=True), re.S)
    assert all(name in line.group(1) for name in pair(console, DEC1 + timedelta(days=1)))


def _free(desk, day: date) -> str:
    busy = {n for d in range(-2, 3) for n in pair(desk, day + timedelta(days=d))}
    return next(n for n in ("王芳", "李娜", "刘洋", "陈静", "吴刚", "徐丽", "黄强") if n not in busy)


def test_a_swap_is_told_to_both_and_can_be_cancelled(console, admin):
    day = DEC1 + timedelta(days=6)
    out, into = pair(console, day)[0], _free(console, day)
    post(admin, "/admin/roster/swap", {"day": day.isoformat(), "a": out, "b": into}, token_from="/admin/roster/")
    assert into in pair(console, day)
    assert len(_texts(console, f"由{into}替{out}")) == 2
    page = admin.get("/admin/roster/").get_data(as_text=True)
    assert f"{into}替{out}值班（换班）" in page and 'data-confirm="确定撤销' in page
    with console.session() as s:
        oid = s.scalar(select(DutyOverride.id).where(DutyOverride.kind == "swap"))
    resp = post(admin, f"/admin/roster/cancel/{oid}", token_from="/admin/roster/", follow_redirects=True)
    assert "已撤销" in resp.get_data(as_text=True)
    assert out in pair(console, day) and into not in pair(console, day)
    assert len(_texts(console, "【调整撤销】")) == 2


def test_a_leave_that_has_begun_cannot_be_cancelled(console, admin):
    name = pair(console, DEC1 - timedelta(days=1))[0]
    with console.session() as s:
        s.add(DutyOverride(kind="leave", day_from=DEC1 - timedelta(days=3), day_to=DEC1 + timedelta(days=3),
                           staff=name, reason="请假", created_at=console.clock.now(), created_by="boss"))
    with console.session() as s:
        oid = s.scalar(select(DutyOverride.id))
    resp = post(admin, f"/admin/roster/cancel/{oid}", token_from="/admin/roster/", follow_redirects=True)
    assert "已经开始，过去的值班记录不能更改" in resp.get_data(as_text=True)
    with console.session() as s:
        assert not s.get(DutyOverride, oid).revoked


def test_leave_stand_ins_are_told(console, admin):
    day = DEC1 + timedelta(days=8)
    name = pair(console, day)[0]
    post(admin, "/admin/roster/leave", {"name": name, "start": day.isoformat(), "end": day.isoformat()},
         token_from="/admin/roster/")
    stand_in = next(n for n in pair(console, day) if n not in effective_base(console, day))
    notices = _texts(console, f"【请假】{name}的请假已登记")
    assert len(notices) == 2 and all(stand_in in o.text for o in notices)


def effective_base(desk, day: date):
    with desk.session() as s:
        return effective_roster(s, desk.settings, day, 1)[0].base


def test_missing_holiday_data_is_warned(console, admin):
    page = admin.get("/admin/roster/").get_data(as_text=True)
    assert 'id="holiday-warning"' in page and "2027 年的法定节假日" in page


def test_a_holiday_set_in_the_console_changes_the_roster_only_from_tomorrow(console, admin):
    from bot.roster.calendar import HolidayCalendar

    first = DEC1 - timedelta(days=40)
    with console.session() as s:
        before = {r.day: r.staff for r in effective_roster(s, console.settings, first, 100)}
    assert not HolidayCalendar().known(2027)
    resp = post(admin, "/admin/roster/holiday", {"day": "2027-01-01", "kind": "holiday", "name": "元旦"},
                token_from="/admin/roster/", follow_redirects=True)
    page = resp.get_data(as_text=True)
    assert "已保存：1月1日（周五）设为元旦" in page and "已过去的日子不变" in page
    with console.session() as s:
        after = effective_roster(s, console.settings, first, 100)
    assert next(r for r in after if r.day == date(2027, 1, 1)).kind == "holiday"
    assert all(r.staff == before[r.day] for r in after if r.day <= DEC1)  # history and the running shift
    assert "1月1日：放假（元旦）" in admin.get("/admin/roster/?month=2027-01").get_data(as_text=True)
    refused = post(admin, "/admin/roster/holiday", {"day": DEC1.isoformat(), "kind": "holiday", "name": "x"},
                   token_from="/admin/roster/", follow_redirects=True)
    assert "只能设置12月2日（周三）及以后的日子" in refused.get_data(as_text=True)
