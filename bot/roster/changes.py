"""Roster changes recorded as DutyOverride rows (swap, leave with stand-ins) and the fairness view."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import DutyOverride, Staff
from bot.roster.notices import cancel_text, leave_text, override_key, swap_text, tell
from bot.roster.store import (
    RosterDay, WEEKDAY_ZH, as_override, calendar_for, duty_day, effective_roster, members, roster_context,
    roster_staff, rules_for,
)
from bot.roster.fairness import FairnessReport, fairness_report
from bot.roster.overrides import Override, apply, check_leave
from bot.roster.rotation import DutyDay, RosterError

MAX_LEAVE_DAYS = 366


def day_zh(d: date) -> str:
    """'12月3日（周四）'."""
    return M.DAY_ZH.format(month=d.month, day=d.day, weekday=WEEKDAY_ZH[d.weekday()])


@dataclass
class Change:
    """What a swap or leave recorded, with the notes shown to staff."""

    overrides: list[DutyOverride]
    notes: list[str] = field(default_factory=list)


def _active(session: Session, name: str) -> Staff:
    person = next((s for s in roster_staff(session) if s.name == name), None)
    if person is None:
        raise RosterError(f"unknown or inactive staff {name!r}", M.ROSTER_UNKNOWN_STAFF.format(name=name))
    return person


def _check(session: Session, settings, first: date, last: date, new: Override):
    """Apply the new override after the existing ones; RosterError if it cannot stand."""
    ctx = roster_context(session, settings, first, last)
    people, base, kept, _ = ctx
    if new.kind == "leave":
        return check_leave(base, kept, new, people, rules_for(settings), calendar_for(settings), ctx.members_on)
    apply(base, kept + [new], people, rules_for(settings), calendar_for(settings), ctx.members_on)
    return []


def _row(kind: str, first: date, last: date, staff: str, other: str | None, reason: str, by: str,
         now: datetime) -> DutyOverride:
    return DutyOverride(kind=kind, day_from=first, day_to=last, staff=staff, other=other, reason=reason,
                        created_at=now, created_by=by)


def swap(session: Session, day: date, a: str, b: str, by: str, now: datetime, *, settings) -> Change:
    """One of A/B is on duty on `day`: the other takes that duty (recorded, never rewritten)."""
    pa, pb = _active(session, a), _active(session, b)
    today = effective_roster(session, settings, day, 1, fill=False)[0]
    if (a in today.staff) == (b in today.staff):
        both = M.ROSTER_BOTH_ON if a in today.staff else M.ROSTER_BOTH_OFF
        raise RosterError(f"{a} and {b} are both on/off duty on {day}",
                          M.ROSTER_SWAP_REFUSED.format(day=day_zh(day), a=a, b=b, both=both))
    out, inn = (pa, pb) if a in today.staff else (pb, pa)
    reason = M.ROSTER_SWAP_REASON.format(out=out.name, into=inn.name)
    row = _row("swap", day, day, out.name, inn.name, reason, by, now)
    _check(session, settings, day, day, as_override(row))
    session.add(row)
    session.flush()
    tell(session, settings, [out.name, inn.name], swap_text(day_zh(day), out.name, inn.name), now,
         override_key(row, "swap"))
    return Change([row], [M.ROSTER_SWAP_NOTE.format(day=day_zh(day), into=inn.name, out=out.name)])


def leave(session: Session, name: str, start: date, end: date, by: str, now: datetime, *, settings) -> Change:
    """Record leave; every duty it frees gets a stand-in, or the leave is refused (nothing recorded)."""
    person = _active(session, name)
    if end < start or (end - start).days >= MAX_LEAVE_DAYS:
        raise RosterError(f"bad leave period {start}..{end}", M.ROSTER_BAD_LEAVE)
    row = _row("leave", start, end, person.name, None, M.ROSTER_LEAVE_REASON, by, now)
    try:
        subs = _check(session, settings, start, end, as_override(row))
    except RosterError as exc:
        raise RosterError(str(exc), M.ROSTER_LEAVE_REFUSED.format(name=name, why=exc.message_zh)) from None
    session.add(row)
    session.flush()
    notes = [M.ROSTER_STAND_IN_NOTE.format(day=day_zh(s.day), substitute=s.substitute, absent=s.absent)
             + (M.ROSTER_RELAXED if s.relaxed else "")
             for s in subs]
    tell(session, settings, [name] + [s.substitute for s in subs], leave_text(name, notes), now,
         override_key(row, "leave"))
    return Change([row], notes or [M.ROSTER_NO_DUTY_IN_LEAVE.format(name=name)])


def describe(row: DutyOverride) -> str:
    """'12月5日（周六）王芳与李娜换班' / '王芳请假 12月5日（周六）至12月7日（周一）'."""
    if row.kind == "leave":
        span = day_zh(row.day_from) + ("" if row.day_to == row.day_from
                                       else M.ROSTER_SPAN_TO.format(day=day_zh(row.day_to)))
        return M.ROSTER_DESCRIBE_LEAVE.format(staff=row.staff, span=span)
    if row.kind == "swap":
        return M.ROSTER_DESCRIBE_SWAP.format(day=day_zh(row.day_from), other=row.other, staff=row.staff)
    return M.ROSTER_DESCRIBE_ASSIGN.format(day=day_zh(row.day_from), staff=row.staff, other=row.other)


def cancel(session: Session, override_id: int, by: str, now: datetime, *, settings) -> Change:
    """Cancel a swap or leave that has not begun (today's duty day counts as not begun yet only
    for the running shift's own swap); refused when other recorded changes depend on it."""
    row = session.get(DutyOverride, override_id)
    if row is None or row.revoked:
        raise RosterError(f"no live override {override_id}", M.ROSTER_NO_OVERRIDE)
    today = duty_day(now, settings)
    if row.day_from < today:
        raise RosterError(f"override {override_id} began on {row.day_from}",
                          M.ROSTER_STARTED.format(what=describe(row)))
    span = min((row.day_to - row.day_from).days + 1, 31)
    on_duty = {n for r in effective_roster(session, settings, row.day_from, span, fill=False) for n in r.staff}
    before = {o.id for o, _ in roster_context(session, settings, row.day_from, row.day_to).problems}
    row.revoked = True
    session.flush()
    after = roster_context(session, settings, row.day_from, row.day_to).problems
    broken = [text for o, text in after if o.id not in before]
    if broken:
        raise RosterError(f"cancelling {override_id} breaks others",
                          M.ROSTER_CANCEL_BREAKS.format(broken=M.LIST_SEPARATOR.join(broken)))
    row.reason = (row.reason + M.ROSTER_CANCEL_MARK.format(by=by, now=now))[:500]
    what = describe(row)
    told = [row.staff, row.other] + (sorted(on_duty) if row.kind == "leave" else [])  # stand-ins lose the duty
    tell(session, settings, told, cancel_text(row, what), now, override_key(row, "cancel"))
    return Change([row], [M.ROSTER_CANCELLED_NOTE.format(what=what)])


@dataclass
class FairnessRow:
    name: str
    total: int
    rest_days: int  # weekend and public-holiday duties
    holidays: int
    no_holiday_duty: bool


@dataclass
class Fairness:
    """Duty counts per person over a period, and the worst 28-day spread (console view)."""

    start: date
    days: int
    rows: list[FairnessRow]
    window_spread: int  # max over 28-day windows of (most duties - fewest duties)
    rest_spread: int  # most - fewest weekend/holiday duties among those who take them
    report: FairnessReport  # the pure roster's report (bot.roster.fairness), for render_fairness


def as_duty_days(days: list[RosterDay]) -> list[DutyDay]:
    """The pure roster's view of effective days."""
    return [DutyDay(d.day, tuple(d.staff), d.kind, tuple(d.notes)) for d in days]


def fairness(session: Session, settings, start: date, days: int) -> Fairness:
    """How evenly the effective roster (after swaps and leave) spreads duties over [start, start+days)."""
    staff = roster_staff(session)
    report = fairness_report(as_duty_days(effective_roster(session, settings, start, days)), members(staff))
    flags = {s.name: s.no_holiday_duty for s in staff}
    rows = [FairnessRow(p.name, p.total, p.rest_days, p.holiday, flags.get(p.name, False))
            for p in report.people if p.name in flags and next(s for s in staff if s.name == p.name).eligible]
    return Fairness(start, days, rows, report.worst_window_spread, report.spread_rest_days, report)
