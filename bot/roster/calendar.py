"""Day kinds for the duty roster: workday, weekend, public holiday or 调休 make-up workday."""
from __future__ import annotations

from datetime import date
from typing import Literal

import chinese_calendar

DayKind = Literal["workday", "weekend", "holiday", "makeup_workday"]
OVERRIDE_KINDS = ("holiday", "makeup_workday", "workday", "weekend")

# chinese_calendar names holidays in English; residents and staff read Chinese.
HOLIDAY_NAMES_ZH = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "抗战胜利70周年纪念日",
}


class HolidayCalendar:
    """Chinese public holidays and 调休 from chinese_calendar, plus config overrides.

    Overrides map a date to "holiday", "makeup_workday", "workday" or "weekend"; a holiday
    may carry a name as "holiday:名称". For years chinese_calendar has no data for (it raises
    NotImplementedError) the calendar falls back to plain weekends plus overrides;
    `known(year)` tells which case applies so callers can warn an admin.
    """

    def __init__(self, overrides: dict[date, str] | None = None) -> None:
        self._overrides: dict[date, tuple[DayKind, str | None]] = {}
        for d, value in (overrides or {}).items():
            kind, _, name = str(value).partition(":")
            if kind not in OVERRIDE_KINDS:
                raise ValueError(f"unknown calendar override {value!r} for {d}")
            self._overrides[d] = (kind, name or None)  # type: ignore[assignment]
        self._cache: dict[date, tuple[DayKind, str | None]] = {}
        self._known: dict[int, bool] = {}

    def known(self, year: int) -> bool:
        """True when chinese_calendar has the official holiday data for `year`."""
        if year not in self._known:
            try:
                chinese_calendar.is_holiday(date(year, 6, 1))
                self._known[year] = True
            except NotImplementedError:
                self._known[year] = False
        return self._known[year]

    def fingerprint(self) -> tuple:
        """Hashable identity of what this calendar says (for caching rosters built on it)."""
        return (getattr(chinese_calendar, "__version__", ""), tuple(sorted(self._overrides.items())))

    def kind(self, d: date) -> DayKind:
        """The kind of day `d` is."""
        return self._lookup(d)[0]

    def holiday_name(self, d: date) -> str | None:
        """Chinese name of the public holiday on `d`, or None when it is not one."""
        kind, name = self._lookup(d)
        return name if kind == "holiday" else None

    def is_rest_day(self, d: date) -> bool:
        """Weekend or public holiday (the days no_holiday_duty staff are spared)."""
        return self.kind(d) in ("weekend", "holiday")

    def _lookup(self, d: date) -> tuple[DayKind, str | None]:
        hit = self._cache.get(d)
        if hit is None:
            hit = self._cache[d] = self._compute(d)
        return hit

    def _compute(self, d: date) -> tuple[DayKind, str | None]:
        weekend = d.weekday() >= 5
        if d in self._overrides:
            kind, name = self._overrides[d]
            if kind == "holiday":
                return "holiday", name or "节假日"
            if kind == "workday" and weekend:
                # An admin-declared working weekend day is a make-up workday by definition.
                return "makeup_workday", name
            return kind, name
        if not self.known(d.year):
            return ("weekend" if weekend else "workday"), None
        on_holiday, name_en = chinese_calendar.get_holiday_detail(d)
        if on_holiday:
            if name_en is not None:
                return "holiday", HOLIDAY_NAMES_ZH.get(name_en, name_en)
            return "weekend", None
        if weekend:
            return "makeup_workday", HOLIDAY_NAMES_ZH.get(name_en, name_en) if name_en else None
        return "workday", None
