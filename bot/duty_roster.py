"""The database-backed duty roster: Staff rows + settings.roster + DutyOverride rows.

The base rotation is the pure, deterministic `bot.roster.rotation.generate`; swaps, leave and
manual assignments are DutyOverride rows applied on top in the order they were made, so the
history of who was on duty is never rewritten.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import DutyOverride, Staff
from bot.roster.calendar import HolidayCalendar
from bot.roster.rotation import RosterError, RosterRules, StaffMember, generate
from bot.staff import StaffDirectory

log = logging.getLogger("linli.roster")
BLOCK = 64  # base-rotation cache granularity in days
KIND_ZH = {"workday": "工作日", "weekend": "周末", "holiday": "节假日", "makeup_workday": "调休上班"}
WEEKDAY_ZH = "一二三四五六日"


@dataclass
class RosterDay:
    """Who is on duty for one duty day (shift change to the next day's), after overrides."""

    day: date
    kind: str
    staff: list[str]
    base: tuple[str, ...]
    notes: list[str] = field(default_factory=list)
    away: list[str] = field(default_factory=list)  # on leave this day


def shift_change(settings) -> time:
    """The configured shift-change time of day."""
    return time.fromisoformat(settings.roster.shift_change)


def duty_day(at: datetime, settings) -> date:
    """The duty day a moment belongs to: before the shift change it is still yesterday's duty."""
    local = at.astimezone(ZoneInfo(settings.desk.timezone))
    return local.date() - timedelta(days=1) if local.time() < shift_change(settings) else local.date()


def shift_start(day: date, settings) -> datetime:
    """The UTC moment duty day `day` begins."""
    local = datetime.combine(day, shift_change(settings), ZoneInfo(settings.desk.timezone))
    return local.astimezone(timezone.utc)


def calendar_for(settings) -> HolidayCalendar:
    """The holiday calendar with the config's overrides."""
    return _calendar(tuple(sorted(settings.roster.holiday_overrides.items())))


@lru_cache(maxsize=8)
def _calendar(overrides: tuple) -> HolidayCalendar:
    return HolidayCalendar({date.fromisoformat(str(d)): kind for d, kind in overrides})


def rules_for(settings) -> RosterRules:
    """Roster rules from config."""
    r = settings.roster
    return RosterRules(
        anchor=date.fromisoformat(r.anchor), shift_change=shift_change(settings), tz=settings.desk.timezone,
        per_day=r.per_day, min_rest_days=r.min_rest_days,
        never_pair=tuple(frozenset(p) for p in r.never_pair if len(p) == 2),
    )


def roster_staff(session: Session) -> list[Staff]:
    """Active staff in rotation order (the roster's input)."""
    return StaffDirectory().active(session)


def members(staff: list[Staff]) -> tuple[StaffMember, ...]:
    """Pure-roster view of the Staff rows."""
    return tuple(StaffMember(s.name, eligible=s.eligible, no_holiday_duty=s.no_holiday_duty, role=s.role)
                 for s in staff)


@lru_cache(maxsize=64)
def _block(people: tuple[StaffMember, ...], rules: RosterRules, overrides: tuple, index: int):
    calendar = _calendar(overrides)
    return generate(people, rules, rules.anchor + timedelta(days=index * BLOCK), BLOCK, calendar)


def base_roster(people, settings, start: date, days: int) -> dict[date, tuple[str, ...]]:
    """The generated rotation for [start, start+days), from cached blocks; days before the anchor are empty."""
    rules = rules_for(settings)
    overrides = tuple(sorted(settings.roster.holiday_overrides.items()))
    out: dict[date, tuple[str, ...]] = {}
    first = max(start, rules.anchor)
    last = start + timedelta(days=days - 1)
    if last < first:
        return out
    for index in range((first - rules.anchor).days // BLOCK, (last - rules.anchor).days // BLOCK + 1):
        for d in _block(tuple(people), rules, overrides, index):
            if first <= d.day <= last:
                out[d.day] = d.staff
    return out


def overrides_between(session: Session, start: date, end: date) -> list[DutyOverride]:
    """Live (not revoked) overrides touching [start, end], in the order they were made."""
    q = (select(DutyOverride).where(DutyOverride.revoked.is_(False))
         .where(DutyOverride.day_from <= end, DutyOverride.day_to >= start).order_by(DutyOverride.id))
    return list(session.scalars(q))


def apply_override(day: RosterDay, o: DutyOverride) -> None:
    """Apply one override to one day in place."""
    if o.kind == "leave":
        day.away.append(o.staff)
        if o.staff in day.staff:
            day.staff.remove(o.staff)
            day.notes.append(f"{o.staff}请假")
    elif o.kind == "assign" and o.staff not in day.staff:
        if o.other in day.staff:
            day.staff[day.staff.index(o.other)] = o.staff
        else:
            day.staff.append(o.staff)
        day.notes.append(f"{o.staff}顶替{o.other}" if o.other else f"{o.staff}加班")
    elif o.kind == "swap":
        a, b = o.staff, o.other
        if a in day.staff and b not in day.staff:
            day.staff[day.staff.index(a)] = b
            day.notes.append(f"{a}与{b}换班")
        elif b in day.staff and a not in day.staff:
            day.staff[day.staff.index(b)] = a
            day.notes.append(f"{b}与{a}换班")


def effective_roster(session: Session, settings, start: date, days: int, fill: bool = True) -> list[RosterDay]:
    """The roster as it stands: base rotation, overrides in order, and any gap auto-filled."""
    staff = roster_staff(session)
    calendar = calendar_for(settings)
    base = base_roster(members(staff), settings, start, days)
    out = []
    for i in range(days):
        d = start + timedelta(days=i)
        name = calendar.holiday_name(d)
        out.append(RosterDay(d, calendar.kind(d), list(base.get(d, ())), base.get(d, ()), [name] if name else []))
    end = start + timedelta(days=days - 1)
    by_day = {r.day: r for r in out}
    for o in overrides_between(session, start, end):
        for d in _days(max(o.day_from, start), min(o.day_to, end)):
            apply_override(by_day[d], o)
    if fill:
        from bot.duty_changes import fill_gaps

        fill_gaps(session, settings, out)
    return out


def _days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


def __getattr__(name: str):
    """Re-export the change functions (they live in bot.duty_changes, which imports this module)."""
    if name in ("swap", "leave", "fairness", "fill_gaps"):
        from bot import duty_changes

        return getattr(duty_changes, name)
    raise AttributeError(name)


class RosterDuty:
    """DutyProvider backed by the roster: who is on duty at a moment, and the leads."""

    def __init__(self, settings, directory: StaffDirectory | None = None):
        self.settings = settings
        self.directory = directory or StaffDirectory()

    def on_duty(self, session: Session, at: datetime) -> list[Staff]:
        """The staff on duty at `at`, honouring the shift change (Asia/Shanghai by config)."""
        try:
            today = effective_roster(session, self.settings, duty_day(at, self.settings), 1)[0]
        except RosterError as exc:
            log.error("roster unavailable (%s); falling back to the first eligible staff", exc)
            return [s for s in roster_staff(session) if s.eligible][: self.settings.roster.per_day]
        found = [self.directory.by_name(session, name) for name in today.staff]
        return [s for s in found if s is not None]

    def leads(self, session: Session) -> list[Staff]:
        """Active leads (notified on escalations and urgent tickets)."""
        return self.directory.leads(session)

    def swap(self, session: Session, day: date, a: str, b: str, by: str, now: datetime):
        """Record a swap for `day` (see bot.duty_changes.swap)."""
        from bot.duty_changes import swap

        return swap(session, day, a, b, by, now, settings=self.settings)

    def leave(self, session: Session, name: str, start: date, end: date, by: str, now: datetime):
        """Record leave with automatic stand-ins (see bot.duty_changes.leave)."""
        from bot.duty_changes import leave

        return leave(session, name, start, end, by, now, settings=self.settings)


__all__ = ["RosterDuty", "RosterDay", "duty_day", "shift_start", "effective_roster", "swap", "leave",
           "fairness", "RosterError"]
