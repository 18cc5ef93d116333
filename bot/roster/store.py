"""The database-backed duty roster: Staff rows + settings.roster + DutyOverride rows.

The base rotation is the pure, deterministic `bot.roster.rotation.generate`; swaps, leave and
manual assignments are DutyOverride rows applied on top in the order they were made, so the
history of who was on duty is never rewritten.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import DutyOverride, HolidayDay, RosterPlan, Staff
from bot.roster.calendar import HolidayCalendar
from bot.roster.eras import Era, era_on, pin, spans
from bot.roster.eras import people as era_people
from bot.roster.overrides import Override, apply, choose_stand_in, duty_date, refusal
from bot.roster.rotation import DutyDay, RosterError, RosterRules, StaffMember, generate
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
    swapped_out: list[str] = field(default_factory=list)  # gave this day away by a swap
    members: frozenset[str] | None = None  # who is in the rotation this day (None: all active)


MARGIN = 14  # days of base roster either side of a requested slice


def shift_change(settings) -> time:
    """The configured shift-change time of day."""
    return time.fromisoformat(settings.roster.shift_change)


def duty_day(at: datetime, settings) -> date:
    """The duty day a moment belongs to: before the shift change it is still yesterday's duty."""
    return duty_date(at, shift_change(settings), settings.desk.timezone)


def shift_start(day: date, settings) -> datetime:
    """The UTC moment duty day `day` begins."""
    local = datetime.combine(day, shift_change(settings), ZoneInfo(settings.desk.timezone))
    return local.astimezone(timezone.utc)


def calendar_for(settings) -> HolidayCalendar:
    """The holiday calendar with the config's overrides and the console's holidays (as last read)."""
    return _calendar(holiday_overrides(settings, _LIVE_HOLIDAYS[0]))


_LIVE_HOLIDAYS: list[tuple] = [()]  # console holidays as (ISO day, kind), refreshed by effective_roster


def holiday_overrides(settings, console: tuple = ()) -> tuple:
    """Config overrides plus console holidays (console wins), as a sorted hashable tuple."""
    merged = {str(d): str(k) for d, k in settings.roster.holiday_overrides.items()}
    merged.update(dict(console))
    return tuple(sorted(merged.items()))


def console_holidays(session: Session) -> tuple:
    """The holidays and 调休 days set in the console, as (ISO day, 'kind:name')."""
    rows = session.execute(select(HolidayDay.day, HolidayDay.kind, HolidayDay.name).order_by(HolidayDay.day))
    found = tuple((d.isoformat(), f"{k}:{n}" if n else k) for d, k, n in rows)
    _LIVE_HOLIDAYS[0] = found
    return found


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


def base_days(people, settings, first: date, last: date, rules: RosterRules | None = None,
              console: tuple = ()) -> list[DutyDay]:
    """The generated rotation for [first, last] from cached blocks (days before the anchor omitted)."""
    rules = rules or rules_for(settings)
    overrides = holiday_overrides(settings, console)
    first = max(first, rules.anchor)
    if last < first:
        return []
    out = []
    for index in range((first - rules.anchor).days // BLOCK, (last - rules.anchor).days // BLOCK + 1):
        out += [d for d in _block(tuple(people), rules, overrides, index) if first <= d.day <= last]
    return out


def era_from_row(row: RosterPlan) -> Era:
    """The pure roster's view of a RosterPlan row."""
    people = tuple(StaffMember(m["name"], eligible=m.get("eligible", True),
                               no_holiday_duty=m.get("no_holiday_duty", False)) for m in row.members)
    pinned = tuple(sorted((date.fromisoformat(k), tuple(v)) for k, v in (row.pinned or {}).items()))
    return Era(row.effective_from, people, pinned, tuple(sorted((row.holidays or {}).items())))


def recorded_eras(session: Session) -> list[Era]:
    """The staff-list eras recorded so far (empty until the first staff change with a date)."""
    return [era_from_row(r) for r in session.scalars(select(RosterPlan).order_by(RosterPlan.effective_from))]


def implicit_era(session: Session, settings) -> Era:
    """Before any staff change is recorded: today's active staff from the anchor."""
    return Era(rules_for(settings).anchor, members(roster_staff(session)), (), console_holidays(session))


def era_days(eras: list[Era], settings, first: date, last: date) -> list[DutyDay]:
    """The generated rotation for [first, last]: each day from the era in force on it."""
    rules, out = rules_for(settings), []
    for era, lo, hi in spans(eras, first, last):
        era_rules = replace(rules, anchor=max(era.start, rules.anchor))
        out += pin(base_days(era.members, settings, lo, hi, era_rules, era.holidays), era)
    return out


def overrides_between(session: Session, start: date, end: date) -> list[DutyOverride]:
    """Live (not revoked) overrides touching [start, end], in the order they were made."""
    q = (select(DutyOverride).where(DutyOverride.revoked.is_(False))
         .where(DutyOverride.day_from <= end, DutyOverride.day_to >= start).order_by(DutyOverride.id))
    return list(session.scalars(q))


def as_override(row: DutyOverride) -> Override:
    """The pure roster's view of a DutyOverride row."""
    return Override(row.id, row.kind, row.day_from, row.day_to, row.staff, row.other, row.reason,
                    row.created_at, row.created_by)


def usable(base: list[DutyDay], overrides: list[Override], people, settings,
           members_on=None) -> tuple[list[Override], list]:
    """The overrides that still apply in order, and (override, Chinese note) for each one set aside.

    A leave recorded while a stand-in was possible may become impossible later (staff made
    inactive); the rest of the roster must still work, so that one override is set aside.
    """
    rules, calendar = rules_for(settings), calendar_for(settings)
    try:
        apply(base, overrides, people, rules, calendar, members_on)
        return list(overrides), []
    except RosterError:
        pass
    kept, problems = [], []
    for o in overrides:
        try:
            apply(base, kept + [o], people, rules, calendar, members_on)
            kept.append(o)
        except RosterError as exc:
            log.error("roster override %s no longer applies: %s", o.id, exc)
            problems.append((o, f"调整#{o.id}无法执行：{exc.message_zh}"))
    return kept, problems


@dataclass
class RosterSlice:
    """What the effective roster of a slice is made of (the slice plus MARGIN days either side)."""

    people: tuple[StaffMember, ...]
    base: list[DutyDay]
    kept: list[Override]
    problems: list
    members_on: object  # date -> names in the rotation that day, or None (all active staff)

    def __iter__(self):  # (people, base, kept, problems), as callers unpack it
        return iter((self.people, self.base, self.kept, self.problems))


def roster_context(session: Session, settings, start: date, end: date, eras: list[Era] | None = None):
    """The RosterSlice for [start-MARGIN, end+MARGIN]; `eras` replaces the recorded ones (previews)."""
    console_holidays(session)  # the calendar for day kinds and stand-in rules
    recorded = eras if eras is not None else recorded_eras(session)
    eras = recorded or [implicit_era(session, settings)]
    first, last = start - timedelta(days=MARGIN), end + timedelta(days=MARGIN)
    people = era_people(eras, first, last)
    members_on = (lambda d: era_on(eras, d).names() if era_on(eras, d) else frozenset()) if recorded else None
    base = era_days(eras, settings, first, last)
    rows = [as_override(o) for o in overrides_between(session, first, last)]
    kept, problems = usable(base, rows, people, settings, members_on)
    return RosterSlice(people, base, kept, problems, members_on)


def effective_roster(session: Session, settings, start: date, days: int, fill: bool = True,
                     eras: list[Era] | None = None) -> list[RosterDay]:
    """The roster as it stands: base rotation, overrides in order, and any gap auto-filled."""
    end = start + timedelta(days=days - 1)
    # Two weeks either side so stand-ins are chosen the same way whatever slice is shown.
    ctx = roster_context(session, settings, start, end, eras)
    calendar = calendar_for(settings)
    people, base, kept, problems = ctx
    applied = apply(base, kept, people, rules_for(settings), calendar, ctx.members_on)
    by_day = {d.day: d for d in applied}
    base_by_day = {d.day: d.staff for d in base}
    away = _away(session, start, end)
    swapped = {(o.staff, o.day_from) for o in kept if o.kind == "swap"}
    out = []
    for i in range(days):
        d = start + timedelta(days=i)
        got = by_day.get(d)
        notes = list(got.notes) if got else []
        notes += [text for o, text in problems if o.day_from <= d <= o.day_to]
        out.append(RosterDay(d, calendar.kind(d), list(got.staff) if got else [], base_by_day.get(d, ()),
                             notes, sorted(away.get(d, ())), sorted(n for n, day in swapped if day == d),
                             ctx.members_on(d) if ctx.members_on else None))
    if fill:
        fill_gaps(session, settings, out, eras)
    return out


def fill_gaps(session: Session, settings, days: list[RosterDay], eras=None) -> None:
    """Top up any day left short (e.g. a stand-in became inactive), saying so in its notes."""
    rules, calendar = rules_for(settings), calendar_for(settings)
    for day in days:
        if day.day < rules.anchor or len(day.staff) >= settings.roster.per_day:
            continue
        nearby = _nearby(session, settings, day.day, eras=eras)
        people = members(roster_staff(session))
        while len(day.staff) < settings.roster.per_day:
            pool = [p.name for p in people if _may_fill(p, day, rules, calendar)]
            pick = choose_stand_in(day.day, pool, nearby, rules, calendar)
            if pick is None:
                day.notes.append("人手不足，请管理员安排")
                break
            day.staff.append(pick[0])
            day.notes.append(f"{pick[0]}自动补位")


def _may_fill(person: StaffMember, day: RosterDay, rules: RosterRules, calendar: HolidayCalendar) -> bool:
    """The pure roster's hard rules for a stand-in, and never someone on duty or who swapped the day away."""
    if person.name in day.staff or person.name in day.swapped_out:
        return False
    return refusal(person, person.name, day.day, day.staff, rules, calendar, on_leave=person.name in day.away,
                   in_rotation=day.members is None or person.name in day.members) is None


def _nearby(session: Session, settings, day: date, span_after: int = 0, eras=None) -> dict[date, list[str]]:
    """Who is on duty around `day` (28 days before to min-rest days after), without gap filling."""
    first = day - timedelta(days=27)
    days = 28 + span_after + settings.roster.min_rest_days
    return {r.day: list(r.staff) for r in effective_roster(session, settings, first, days, fill=False, eras=eras)}


def _away(session: Session, start: date, end: date) -> dict[date, set[str]]:
    """Who is on leave on each day of [start, end]."""
    out: dict[date, set[str]] = {}
    for o in overrides_between(session, start, end):
        if o.kind != "leave":
            continue
        d = max(o.day_from, start)
        while d <= min(o.day_to, end):
            out.setdefault(d, set()).add(o.staff)
            d += timedelta(days=1)
    return out


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


__all__ = ["RosterDuty", "RosterDay", "duty_day", "shift_start", "effective_roster", "fill_gaps", "RosterError"]
