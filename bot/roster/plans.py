"""Staff-list changes that take effect from a date the admin picks, after a preview (issue 16).

Adding someone to the rotation, taking them out (deactivated, or no longer on duty) or changing
their no-holiday flag starts a new era (RosterPlan row) on the chosen date: days before it never
change, the running shift never changes, and days that carry a swap or leave keep their pair so
the swap or leave still holds. The people whose duties change are told.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import HolidayDay, RosterPlan, Staff
from bot.roster.changes import day_zh
from bot.roster.store import (
    console_holidays, duty_day, effective_roster, era_days, implicit_era, overrides_between, recorded_eras,
)
from bot.roster.eras import Era, continue_order, era_on
from bot.roster.rotation import RosterError, StaffMember
from bot.tickets.notify import staff_message

PREVIEW_DAYS = 56
PIN_DAYS = 366  # swaps and leave this far ahead keep their pair


@dataclass(frozen=True)
class StaffEdit:
    """A person's place in the rotation after a change: in it or not, and the holiday flag."""

    name: str
    in_rota: bool
    no_holiday_duty: bool = False
    reason: str = ""  # '新增郑洁', '停用杨磊' … for notices and the plan note


@dataclass
class DayChange:
    day: date
    before: tuple[str, ...]
    after: tuple[str, ...]


@dataclass
class Preview:
    """What a staff change would do from `start`: changed days, who gains or loses duties."""

    edit: StaffEdit
    start: date
    changes: list[DayChange]
    gained: dict[str, list[date]] = field(default_factory=dict)
    lost: dict[str, list[date]] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    eras: list[Era] = field(default_factory=list)

    @property
    def affected(self) -> list[str]:
        return sorted(set(self.gained) | set(self.lost))


def earliest_start(settings, now: datetime) -> date:
    """The first day a staff change may touch: tomorrow's duty day (the running shift stays)."""
    return duty_day(now, settings) + timedelta(days=1)


def current_eras(session: Session, settings) -> list[Era]:
    """The recorded eras, or the implicit one (today's active staff from the anchor)."""
    return recorded_eras(session) or [implicit_era(session, settings)]


def _edited(people: tuple[StaffMember, ...], edit: StaffEdit | None) -> list[StaffMember]:
    if edit is None or not edit.name:  # same people (a calendar change)
        return list(people)
    out = [m for m in people if m.name != edit.name]
    if edit.in_rota:
        old = next((i for i, m in enumerate(people) if m.name == edit.name), len(out))
        out.insert(min(old, len(out)), StaffMember(edit.name, no_holiday_duty=edit.no_holiday_duty))
    return out


def _pins(session: Session, settings, eras: list[Era], start: date, names: set[str]) -> tuple:
    """The current pair of every day from `start` that carries a live swap or leave."""
    days = set()
    for o in overrides_between(session, start, start + timedelta(days=PIN_DAYS)):
        d = max(o.day_from, start)
        while d <= min(o.day_to, start + timedelta(days=PIN_DAYS)):
            days.add(d)
            d += timedelta(days=1)
    if not days:
        return ()
    base = {d.day: d.staff for d in era_days(eras, settings, min(days), max(days)) if d.day in days}
    return tuple(sorted((d, pair) for d, pair in base.items() if set(pair) <= names))


def proposed_eras(session: Session, settings, edit: StaffEdit, start: date) -> list[Era]:
    """The eras after the change: a new era from `start`; later eras get the same edit."""
    eras = current_eras(session, settings)
    before = era_on(eras, start) or eras[0]
    recent = effective_roster(session, settings, start - timedelta(days=28), 28, eras=eras)
    people = continue_order(_edited(before.members, edit), recent)
    names = {m.name for m in people if m.can_take_duty}
    new = Era(start, people, _pins(session, settings, eras, start, names), console_holidays(session))
    later = [Era(e.start, tuple(_edited(e.members, edit)), e.pinned, e.holidays) for e in eras if e.start > start]
    return [e for e in eras if e.start < start] + [new] + later


def preview(session: Session, settings, edit: StaffEdit, start: date, now: datetime,
            days: int = PREVIEW_DAYS) -> Preview:
    """What the change would do from `start` (refused before tomorrow's duty day)."""
    first = earliest_start(settings, now)
    if start < first:
        raise RosterError(f"staff change from {start} touches the past or the running shift",
                          f"生效日期最早为{day_zh(first)}：已过去的日子和正在进行的班次不能改")
    eras = proposed_eras(session, settings, edit, start)
    old = effective_roster(session, settings, start, days)
    new = effective_roster(session, settings, start, days, eras=eras)
    out = Preview(edit, start, [], eras=eras)
    for a, b in zip(old, new):
        if set(a.staff) != set(b.staff):
            out.changes.append(DayChange(a.day, tuple(a.staff), tuple(b.staff)))
            for n in set(b.staff) - set(a.staff):
                out.gained.setdefault(n, []).append(a.day)
            for n in set(a.staff) - set(b.staff):
                out.lost.setdefault(n, []).append(a.day)
        out.warnings += [n for n in b.notes if "无法执行" in n or "人手不足" in n]
    out.warnings = _person_warnings(session, settings, edit, start, now) + list(dict.fromkeys(out.warnings))
    return out


def _person_warnings(session: Session, settings, edit: StaffEdit, start: date, now: datetime) -> list[str]:
    """Duties the person still has before the change, and a newcomer who cannot be notified."""
    out = []
    if not edit.name:
        return out
    today = duty_day(now, settings)
    if not edit.in_rota:
        before = [r.day for r in effective_roster(session, settings, today, (start - today).days)
                  if edit.name in r.staff]
        if before:
            out.append(f"{edit.name}在{'、'.join(day_zh(d) for d in before)}仍在值班表上"
                       f"（生效日之前不变），如需调整请登记换班或请假")
    person = session.scalar(select(Staff).where(Staff.name == edit.name))
    if edit.in_rota and (person is None or not person.open_id):
        out.append(f"{edit.name}还没有绑定微信，值班时收不到工单通知：请先在“人员”页生成绑定码")
    return out


def _dates(days: list[date]) -> str:
    shown = "、".join(day_zh(d) for d in days[:6])
    return shown + (f"等{len(days)}天" if len(days) > 6 else "")


def notice_text(pv: Preview, name: str) -> str:
    """What one affected person is told."""
    parts = [f"【值班表调整】因{pv.edit.reason or '人员变动'}，自{day_zh(pv.start)}起值班安排有变化。"]
    if pv.gained.get(name):
        parts.append(f"您新增的值班：{_dates(pv.gained[name])}。")
    if pv.lost.get(name):
        parts.append(f"您不再值班的日子：{_dates(pv.lost[name])}。")
    parts.append("如有冲突请联系管理员或登记换班。")
    return "".join(parts)


def record(session: Session, settings, pv: Preview, by: str, now: datetime) -> int:
    """Save the previewed eras and queue a notice to each affected person; returns notices queued."""
    rows = {r.effective_from: r for r in session.scalars(select(RosterPlan))}
    for era in pv.eras:
        row = rows.get(era.start) or RosterPlan(effective_from=era.start, created_at=now, created_by=by)
        row.members = [{"name": m.name, "eligible": m.eligible, "no_holiday_duty": m.no_holiday_duty}
                       for m in era.members]
        row.pinned = {d.isoformat(): list(pair) for d, pair in era.pinned}
        row.holidays = dict(era.holidays)
        if era.start == pv.start:
            row.note, row.created_at, row.created_by = pv.edit.reason, now, by
        session.add(row)
    session.flush()
    sent = 0
    for name in pv.affected:
        person = session.scalar(select(Staff).where(Staff.name == name, Staff.active.is_(True)))
        if person is not None:
            key = f"roster-plan:{pv.start.isoformat()}:{now.isoformat()}:{name}"
            sent += bool(staff_message(session, settings, person, notice_text(pv, name), now, key))
    return sent


def ensure_baseline(session: Session, settings, now: datetime, by: str) -> None:
    """Freeze the implicit era (today's active staff from the anchor) before a staff change that
    bypasses the preview (a new login without a date), so it cannot rewrite the rotation."""
    if recorded_eras(session):
        return
    era = current_eras(session, settings)[0]
    session.add(RosterPlan(effective_from=era.start, created_at=now, created_by=by, note="初始人员名单",
                           members=[{"name": m.name, "eligible": m.eligible, "no_holiday_duty": m.no_holiday_duty}
                                    for m in era.members], pinned={}, holidays=dict(era.holidays)))
    session.flush()


def in_rota(session: Session, settings, name: str, day: date) -> bool:
    """Whether NAME is in the rotation's staff list on `day`."""
    era = era_on(current_eras(session, settings), day)
    return era is not None and name in era.names()


def describe(pv: Preview) -> list[str]:
    """The preview as lines of text (for the command line)."""
    lines = [f"值班表变动预览：{pv.edit.reason}，自{day_zh(pv.start)}起，{len(pv.changes)}天有变化"]
    lines += [f"  {day_zh(c.day)}：{'、'.join(c.before)} → {'、'.join(c.after)}" for c in pv.changes]
    lines += [f"  受影响：{name}" for name in pv.affected]
    lines += [f"  注意：{w}" for w in pv.warnings]
    return lines


def set_holiday(session: Session, settings, day: date, kind: str | None, name: str, by: str,
                now: datetime) -> Preview:
    """Set (kind) or clear (None) a console holiday/调休 day; the rotation changes only from tomorrow's
    duty day (a new era that sees it), past days keep their pairs, and the people affected are told."""
    first = earliest_start(settings, now)
    if day < first:
        raise RosterError(f"holiday {day} is before {first}", f"只能设置{day_zh(first)}及以后的日子")
    ensure_baseline(session, settings, now, by)  # earlier eras keep the calendar they were made with
    row = session.scalar(select(HolidayDay).where(HolidayDay.day == day))
    if row is not None:
        session.delete(row)
        session.flush()
    if kind is not None:
        session.add(HolidayDay(day=day, kind=kind, name=name, created_at=now, created_by=by))
        session.flush()
    what = f"{day_zh(day)}设为{name or KIND_WORDS[kind]}" if kind else f"{day_zh(day)}恢复为平常日子"
    pv = preview(session, settings, StaffEdit("", False, False, what), first, now)
    record(session, settings, pv, by, now)
    return pv


KIND_WORDS = {"holiday": "放假", "makeup_workday": "调休上班"}
