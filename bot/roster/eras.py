"""Staff-list eras: the rotation a day gets comes from the staff list in force on that day.

A change to the staff list starts a new era on the date the admin picks, so the days before it
keep the pairs they had (history), and the new era's rotation continues the old one: people
who served longest ago come first, newcomers last.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Iterable, Sequence

from .rotation import DutyDay, StaffMember


@dataclass(frozen=True)
class Era:
    """The staff list (rotation order and duty flags) from `start` on; `pinned` days keep a pair."""

    start: date
    members: tuple[StaffMember, ...]
    pinned: tuple[tuple[date, tuple[str, ...]], ...] = ()
    holidays: tuple[tuple[str, str], ...] = ()  # console holidays this era's rotation sees (ISO day, kind)

    def names(self) -> frozenset[str]:
        return frozenset(m.name for m in self.members if m.can_take_duty)


def era_on(eras: Sequence[Era], d: date) -> Era | None:
    """The era in force on `d` (eras sorted by start), or None before the first one."""
    found = None
    for era in eras:
        if era.start > d:
            break
        found = era
    return found


def spans(eras: Sequence[Era], first: date, last: date) -> Iterable[tuple[Era, date, date]]:
    """(era, from, to) for each era's part of [first, last]."""
    for i, era in enumerate(eras):
        end = eras[i + 1].start - timedelta(days=1) if i + 1 < len(eras) else last
        lo, hi = max(first, era.start), min(last, end)
        if lo <= hi:
            yield era, lo, hi


def pin(days: list[DutyDay], era: Era) -> list[DutyDay]:
    """The era's pinned pairs in place of the generated ones."""
    pins = dict(era.pinned)
    return [DutyDay(d.day, pins[d.day], d.kind, d.notes) if d.day in pins else d for d in days]


def people(eras: Sequence[Era], first: date, last: date) -> tuple[StaffMember, ...]:
    """Everyone in an era touching [first, last]; a later era's flags win."""
    found: dict[str, StaffMember] = {}
    for era, _, _ in spans(eras, first, last):
        for m in era.members:
            found.pop(m.name, None)
            found[m.name] = m
    return tuple(found.values())


def continue_order(members: Sequence[StaffMember], recent: Sequence[DutyDay]) -> tuple[StaffMember, ...]:
    """Members ordered so the new rotation continues the old: longest since last duty first,
    people with no duty yet (newcomers) last, then the given order."""
    last: dict[str, date] = {}
    for d in recent:
        for name in d.staff:
            last[name] = max(last.get(name, d.day), d.day)
    rank = {m.name: i for i, m in enumerate(members)}
    return tuple(sorted(members, key=lambda m: (m.name not in last, last.get(m.name, date.min), rank[m.name])))
