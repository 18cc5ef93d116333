"""Base duty rotation: who is on duty each day, computed deterministically from the anchor.

The base roster for a date depends only on the staff order, the rules, the calendar and
the date: it is always computed from `rules.anchor` (see search.py for how), so asking
for a later window never rewrites history. Over any 28-day window every eligible person's
duty count differs by at most one; weekend and holiday duties are balanced separately.
"""
from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date, time, timedelta
from typing import Literal, Sequence

from .calendar import HolidayCalendar
from .search import BACKTRACK_DAYS, PLAN_MARGIN_DAYS, WINDOW, Search, window_bounds

__all__ = [
    "WINDOW", "DutyDay", "RosterError", "RosterRules", "StaffMember", "clear_cache",
    "eligible_staff", "generate", "window_bounds",
]

RELAXED_NOTE = "排班规则无法全部满足，请管理员核对"

Kind = Literal["workday", "weekend", "holiday", "makeup_workday"]


class RosterError(ValueError):
    """A roster request that cannot be met; `.message_zh` is the text shown to staff."""

    def __init__(self, message: str, message_zh: str | None = None) -> None:
        super().__init__(message)
        self.message_zh = message_zh or "排班失败"


@dataclass(frozen=True)
class StaffMember:
    """One desk staff member and the duty constraints that apply to them.

    no_night_duty: duty is 24 hours (shift change to shift change), so a person who may
    not work nights cannot take a duty day at all; they are treated as not eligible.
    """

    name: str
    eligible: bool = True
    no_holiday_duty: bool = False
    no_night_duty: bool = False
    role: str = "staff"

    @property
    def can_take_duty(self) -> bool:
        """Eligible for the 24-hour duty (no_night_duty excludes it)."""
        return self.eligible and not self.no_night_duty


@dataclass(frozen=True)
class RosterRules:
    """Roster configuration. min_rest_days=N: at least N free days between two duties."""

    anchor: date
    shift_change: time = time(8, 30)
    tz: str = "Asia/Shanghai"
    per_day: int = 2
    min_rest_days: int = 1
    never_pair: tuple[frozenset[str], ...] = ()


@dataclass(frozen=True)
class DutyDay:
    """Who is on duty for the duty day `day` (from its shift change to the next day's)."""

    day: date
    staff: tuple[str, ...]
    kind: Kind
    notes: tuple[str, ...] = ()


def eligible_staff(staff: Sequence[StaffMember]) -> list[StaffMember]:
    """Staff who can take a 24-hour duty, in rotation order; names must be unique."""
    names = [s.name for s in staff]
    if len(set(names)) != len(names):
        raise RosterError("duplicate staff names", "值班人员姓名重复")
    return [s for s in staff if s.can_take_duty]


def generate(
    staff: Sequence[StaffMember],
    rules: RosterRules,
    start: date,
    days: int,
    calendar: HolidayCalendar,
) -> list[DutyDay]:
    """The base roster for `days` days from `start`; always computed from the anchor."""
    if start < rules.anchor:
        raise RosterError(
            f"start {start} is before the roster anchor {rules.anchor}",
            f"{start} 早于排班起始日 {rules.anchor}",
        )
    if days <= 0:
        return []
    offset = (start - rules.anchor).days
    pairs, relaxed = _rotation(tuple(staff), rules, calendar, offset + days)
    out = []
    for i in range(offset, offset + days):
        d = rules.anchor + timedelta(days=i)
        name = calendar.holiday_name(d)
        notes = ((name,) if name else ()) + ((RELAXED_NOTE,) if i in relaxed else ())
        out.append(DutyDay(d, pairs[i], calendar.kind(d), notes))
    return out


def clear_cache() -> None:
    """Forget memoised rotations (they are pure, so this only matters for tests)."""
    _CACHE.clear()


_CACHE: OrderedDict[tuple, tuple[list, set[int]]] = OrderedDict()
_CACHE_SIZE = 8


def _rotation(staff: tuple[StaffMember, ...], rules: RosterRules, calendar: HolidayCalendar,
              needed: int) -> tuple[list[tuple[str, ...]], set[int]]:
    """Names on duty for days anchor..anchor+needed-1 (and the relaxed days), memoised.

    The search may revise at most BACKTRACK_DAYS back, so a run to horizon H is final for
    every day before H - BACKTRACK_DAYS; a longer cached run serves any shorter request.
    """
    key = (staff, rules, calendar.fingerprint())
    hit = _CACHE.get(key)
    if hit is not None and len(hit[0]) >= needed:
        _CACHE.move_to_end(key)
        return hit
    members = eligible_staff(staff)
    if rules.per_day < 1:
        raise RosterError("per_day must be at least 1", "每日值班人数至少为1")
    if len(members) < rules.per_day:
        raise RosterError(
            f"need at least {rules.per_day} eligible staff, have {len(members)}",
            f"可值班人员不足{rules.per_day}人",
        )
    horizon = needed + BACKTRACK_DAYS + 1
    rest = [calendar.is_rest_day(rules.anchor + timedelta(days=i))
            for i in range(horizon + PLAN_MARGIN_DAYS)]
    search = Search(members, rules, rest, horizon)
    names = search.run()[:needed]
    _CACHE[key] = (names, {t for t in search.relaxed_days if t < needed})
    if len(_CACHE) > _CACHE_SIZE:
        _CACHE.popitem(last=False)
    return _CACHE[key]
