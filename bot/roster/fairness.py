"""Fairness report: duties per person and the spread overall and in the worst 28-day window."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Sequence

from .rotation import WINDOW, DutyDay, StaffMember


@dataclass(frozen=True)
class PersonStats:
    """Duty counts of one person over the report period."""

    name: str
    total: int
    weekend: int
    holiday: int

    @property
    def rest_days(self) -> int:
        """Weekend plus holiday duties."""
        return self.weekend + self.holiday


@dataclass(frozen=True)
class FairnessReport:
    """Spreads are max - min over staff who can take duty (rest-day spread: over those
    who may take weekend/holiday duty); the worst window is the 28-day run of days with
    the largest spread (the whole period if it is shorter)."""

    start: date | None
    end: date | None
    people: tuple[PersonStats, ...]
    spread_total: int
    spread_rest_days: int
    worst_window_spread: int
    worst_window_start: date | None
    window_days: int = WINDOW


def _spread(counts: dict[str, int], names: Sequence[str]) -> int:
    values = [counts.get(n, 0) for n in names]
    return max(values) - min(values) if values else 0


def fairness_report(days: list[DutyDay], staff: Sequence[StaffMember]) -> FairnessReport:
    """Per-person totals, weekend and holiday duties, and the spreads for `days`."""
    days = sorted(days, key=lambda d: d.day)
    eligible = [s.name for s in staff if s.can_take_duty]
    rest_ok = [s.name for s in staff if s.can_take_duty and not s.no_holiday_duty]
    names = [s.name for s in staff]
    names += sorted({n for d in days for n in d.staff} - set(names))
    total = {n: 0 for n in names}
    weekend = dict(total)
    holiday = dict(total)
    for d in days:
        for n in d.staff:
            total[n] += 1
            weekend[n] += d.kind == "weekend"
            holiday[n] += d.kind == "holiday"
    rest = {n: weekend[n] + holiday[n] for n in names}
    worst, worst_start = _worst_window(days, eligible)
    return FairnessReport(
        start=days[0].day if days else None,
        end=days[-1].day if days else None,
        people=tuple(PersonStats(n, total[n], weekend[n], holiday[n]) for n in names),
        spread_total=_spread(total, eligible),
        spread_rest_days=_spread(rest, rest_ok),
        worst_window_spread=worst,
        worst_window_start=worst_start,
    )


def _worst_window(days: list[DutyDay], eligible: list[str]) -> tuple[int, date | None]:
    """Largest spread over every run of 28 consecutive roster days (sliding counts)."""
    if not days:
        return 0, None
    size = min(WINDOW, len(days))
    counts = {n: 0 for n in eligible}

    def add(day: DutyDay, k: int) -> None:
        for n in day.staff:
            if n in counts:
                counts[n] += k

    for d in days[:size]:
        add(d, 1)
    worst, start = _spread(counts, eligible), days[0].day
    for i in range(size, len(days)):
        add(days[i - size], -1)
        add(days[i], 1)
        s = _spread(counts, eligible)
        if s > worst:
            worst, start = s, days[i - size + 1].day
    return worst, start
