"""Overrides on top of the base rotation: swaps, leave with fair substitutes, direct assignments.

History is never rewritten: the effective roster is the base rotation plus the overrides
applied in created_at order, so the same inputs always give the same roster.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from typing import Collection, Literal, Mapping, Sequence
from zoneinfo import ZoneInfo

from .calendar import HolidayCalendar
from .rotation import WINDOW, DutyDay, RosterError, RosterRules, StaffMember, generate

__all__ = [
    "Override", "Substitution", "RosterError", "apply", "check_leave", "choose_stand_in", "effective",
    "duty_date", "on_duty_at", "refusal",
]


@dataclass(frozen=True)
class Override:
    """One admin change. swap: `staff`'s duty goes to `other`; leave: `staff` is away
    day_from..day_to and gets fair substitutes; assign: `staff` takes `other`'s place."""

    id: int | None
    kind: Literal["swap", "leave", "assign"]
    day_from: date
    day_to: date
    staff: str
    other: str | None
    reason: str
    created_at: datetime
    created_by: str


@dataclass(frozen=True)
class Substitution:
    """A substitute chosen for someone on leave; `relaxed` lists soft rules given up."""

    day: date
    absent: str
    substitute: str
    relaxed: tuple[str, ...] = ()


def refusal(member: StaffMember | None, name: str, d: date, partners: Sequence[str], rules: RosterRules,
            calendar: HolidayCalendar, *, on_leave: bool = False, in_rotation: bool = True) -> RosterError | None:
    """Why `name` may not take the duty of day d beside `partners` (None: they may). The hard rules
    for a swap, an assignment and every stand-in: can take duty and in the rotation that day, not on
    leave, the no-holiday rule, the never-pair rule."""
    if member is None or not member.can_take_duty or not in_rotation:
        return RosterError(f"{name} cannot take duty", f"{name}不在可值班人员名单中")
    if on_leave:
        return RosterError(f"{name} is on leave on {d}", f"{d} {name}请假中")
    if member.no_holiday_duty and calendar.is_rest_day(d):
        return RosterError(f"{name} has no weekend/holiday duty ({d})", f"{d} {name}不安排节假日值班")
    if any(frozenset((name, p)) in rules.never_pair for p in partners):
        return RosterError(f"{name} may not pair with {partners} on {d}", f"{d} {name}不能与{'、'.join(partners)}同班")
    return None


def choose_stand_in(d: date, pool: Sequence[str], nearby: Mapping[date, Collection[str]], rules: RosterRules,
                    calendar: HolidayCalendar) -> tuple[str, bool] | None:
    """The one stand-in rule: of `pool` (people who may take day d, in rotation order) the fairest,
    judged on the duties in `nearby` (day -> names): minimum rest respected first, then fewest duties,
    then (on a rest day) fewest rest-day duties, then rotation order. Returns (name, rest relaxed)."""
    def score(i: int, name: str) -> tuple:
        mine = [day for day, names in nearby.items() if name in names]
        too_close = any(0 < abs((day - d).days) <= rules.min_rest_days for day in mine)
        rest = sum(calendar.is_rest_day(day) for day in mine) if calendar.is_rest_day(d) else 0
        return (too_close, len(mine), rest, i)

    if not pool:
        return None
    best = min((score(i, name), name) for i, name in enumerate(pool))
    return best[1], best[0][0]


def _days(o: Override) -> list[date]:
    if o.day_to < o.day_from:
        raise RosterError(f"override {o.id}: day_to before day_from", "结束日期早于开始日期")
    return [o.day_from + timedelta(days=i) for i in range((o.day_to - o.day_from).days + 1)]


class _Roster:
    """Mutable working copy of a roster slice while overrides are applied."""

    def __init__(self, base, staff, rules: RosterRules, calendar: HolidayCalendar, members_on=None):
        self.days: dict[date, DutyDay] = {d.day: d for d in base}
        self.staff = {s.name: s for s in staff}
        self.order = {s.name: i for i, s in enumerate(staff)}
        self.rules, self.calendar = rules, calendar
        self.members_on = members_on  # date -> names in the rotation that day (None: everyone)
        self.leave: set[tuple[str, date]] = set()
        self.swapped_out: set[tuple[str, date]] = set()  # a stand-in never undoes a swap
        self.subs: list[Substitution] = []

    def apply(self, o: Override) -> None:
        if o.kind == "leave":
            for d in _days(o):
                self.leave.add((o.staff, d))
                if d in self.days and o.staff in self.days[d].staff:
                    self._substitute(d, o.staff)
        elif o.kind in ("swap", "assign"):
            for d in _days(o):
                if d in self.days:
                    self._replace(o, d)
        else:
            raise RosterError(f"unknown override kind {o.kind!r}", "未知的排班调整类型")

    def _replace(self, o: Override, d: date) -> None:
        """swap: o.staff hands the duty to o.other; assign: o.staff takes o.other's duty."""
        if not o.other:
            raise RosterError(f"{o.kind} on {d} needs two people", f"{d} 调整需要指定两人")
        out, into = (o.staff, o.other) if o.kind == "swap" else (o.other, o.staff)
        day = self.days[d]
        if out not in day.staff:
            raise RosterError(f"{out} is not on duty on {d}", f"{d} {out}当天不值班")
        if into in day.staff:
            raise RosterError(f"{into} is already on duty on {d}", f"{d} {into}当天已在值班")
        self._check_can_take(into, d, [n for n in day.staff if n != out])
        note = f"{out}与{into}换班" if o.kind == "swap" else f"指派{into}替{out}值班"
        self.swapped_out.add((out, d))
        self._set(d, out, into, note)

    def _check_can_take(self, name: str, d: date, partners: list[str]) -> None:
        error = self._refusal(name, d, partners)
        if error is not None:
            raise error

    def _refusal(self, name: str, d: date, partners: list[str]) -> RosterError | None:
        member = self.staff.get(name)
        in_rotation = self.members_on is None or member is None or name in self.members_on(d)
        return refusal(member, name, d, partners, self.rules, self.calendar,
                       on_leave=(name, d) in self.leave, in_rotation=in_rotation)

    def _set(self, d: date, out: str, into: str, note: str) -> None:
        day = self.days[d]
        names = tuple(sorted((n if n != out else into for n in day.staff), key=self._rank))
        self.days[d] = replace(day, staff=names, notes=day.notes + (note,))

    def _rank(self, name: str) -> tuple[int, str]:
        return (self.order.get(name, len(self.order)), name)

    def _substitute(self, d: date, absent: str) -> None:
        partners = [n for n in self.days[d].staff if n != absent]
        pool = [name for name in self.staff if name not in self.days[d].staff and (name, d) not in self.swapped_out
                and self._refusal(name, d, partners) is None]
        half = WINDOW // 2
        near = (self.days.get(d + timedelta(days=k)) for k in range(-half, half))
        best = choose_stand_in(d, pool, {x.day: x.staff for x in near if x is not None}, self.rules, self.calendar)
        if best is None:
            raise RosterError(
                f"{d}: no substitute for {absent}; fewer than {self.rules.per_day} on duty",
                f"{d} 无法安排{self.rules.per_day}人值班：可顶班人员不足",
            )
        sub, too_close = best
        relaxed = ("min_rest",) if too_close else ()
        self.subs.append(Substitution(d, absent, sub, relaxed))
        self._set(d, absent, sub, f"{absent}请假，由{sub}顶班")


def _ordered(overrides: Sequence[Override]) -> list[Override]:
    return sorted(overrides, key=lambda o: (o.created_at, o.id if o.id is not None else 1 << 62))


def apply(
    base: list[DutyDay],
    overrides: Sequence[Override],
    staff: Sequence[StaffMember],
    rules: RosterRules,
    calendar: HolidayCalendar,
    members_on=None,
) -> list[DutyDay]:
    """The effective roster: `base` with `overrides` applied in created_at order.

    Only days inside `base` change; for the fairest substitutes pass a base reaching two
    weeks either side of the days you show. `members_on(day)`, when given, names who is in
    the rotation that day (staff lists change over time). Raises RosterError on an
    impossible override.
    """
    work = _Roster(base, staff, rules, calendar, members_on)
    for o in _ordered(overrides):
        work.apply(o)
    return [work.days[d.day] for d in base]


def check_leave(
    base: list[DutyDay],
    overrides: Sequence[Override],
    leave: Override,
    staff: Sequence[StaffMember],
    rules: RosterRules,
    calendar: HolidayCalendar,
    members_on=None,
) -> list[Substitution]:
    """Substitutions that `leave` would make after the existing overrides; raises RosterError
    if some day would be left with fewer than per_day people."""
    if leave.kind != "leave":
        raise RosterError("check_leave needs a leave override", "仅适用于请假")
    work = _Roster(base, staff, rules, calendar, members_on)
    for o in _ordered(overrides):
        work.apply(o)
    work.subs.clear()
    work.apply(leave)
    return list(work.subs)


def effective(
    staff: Sequence[StaffMember],
    rules: RosterRules,
    calendar: HolidayCalendar,
    start: date,
    days: int,
    overrides: Sequence[Override] = (),
) -> list[DutyDay]:
    """Effective roster for `days` days from `start` (base computed with a 14-day margin)."""
    margin = WINDOW // 2
    first = max(rules.anchor, start - timedelta(days=margin))
    lead = (start - first).days
    base = generate(staff, rules, first, lead + days + margin, calendar)
    return apply(base, overrides, staff, rules, calendar)[lead : lead + days]


def duty_date(moment: datetime, shift_change: time = time(8, 30), tz: str = "Asia/Shanghai") -> date:
    """The duty day `moment` belongs to: before the shift change it is still yesterday's."""
    zone = ZoneInfo(tz)
    local = moment.replace(tzinfo=zone) if moment.tzinfo is None else moment.astimezone(zone)
    return (local - timedelta(hours=shift_change.hour, minutes=shift_change.minute)).date()


def on_duty_at(
    moment: datetime,
    effective_days: Sequence[DutyDay],
    shift_change: time = time(8, 30),
    tz: str = "Asia/Shanghai",
    rules: RosterRules | None = None,
) -> DutyDay:
    """The duty day (and so the people) on duty at `moment`; naive moments are local time.

    `rules`, when given, supplies the shift change time and time zone.
    """
    if rules is not None:
        shift_change, tz = rules.shift_change, rules.tz
    d = duty_date(moment, shift_change, tz)
    for day in effective_days:
        if day.day == d:
            return day
    raise RosterError(f"no roster for duty day {d}", f"{d} 没有排班")
