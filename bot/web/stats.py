"""Dashboard figures over a date range, and the tickets and masked open_ids the ledger (bot.web.ledger) lists."""
from __future__ import annotations

import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select

from bot.sweeps import reports
from bot.db.models import Ticket
from bot.web.helpers import CATEGORY_NAMES, day_range


@dataclass
class Summary:
    first: date
    last: date
    days: list = field(default_factory=list)  # reports.DailyFigures per duty day
    categories: list[tuple[str, int]] = field(default_factory=list)
    median_response_min: float | None = None
    ratings: Counter = field(default_factory=Counter)

    def total(self, name: str) -> int:
        return sum(getattr(d, name) for d in self.days)

    @property
    def auto_share(self) -> float | None:
        messages = self.total("messages")
        return round(100 * self.total("auto_answered") / messages, 1) if messages else None

    @property
    def rating_avg(self) -> float | None:
        n = sum(self.ratings.values())
        return round(sum(k * v for k, v in self.ratings.items()) / n, 2) if n else None

    @property
    def satisfied_share(self) -> float | None:
        n = sum(self.ratings.values())
        return round(100 * sum(v for k, v in self.ratings.items() if k >= 4) / n, 1) if n else None


def tickets_between(session, first: date, last: date) -> list[Ticket]:
    start, end = day_range(first, last)
    q = select(Ticket).where(Ticket.created_at >= start, Ticket.created_at < end).order_by(Ticket.id)
    return list(session.scalars(q).unique())


def summarize(session, settings, first: date, last: date) -> Summary:
    """Per-day figures (as in the daily report) plus range-wide breakdowns."""
    out = Summary(first, last)
    day = first
    while day <= last:
        out.days.append(reports.figures(session, settings, day))
        day += timedelta(days=1)
    tickets = tickets_between(session, first, last)
    counts = Counter(CATEGORY_NAMES.get(t.category, t.category) for t in tickets)
    out.categories = counts.most_common()
    waits = [(t.first_response_at - t.created_at).total_seconds() / 60 for t in tickets if t.first_response_at]
    out.median_response_min = round(statistics.median(waits), 1) if waits else None
    out.ratings = Counter(t.rating for t in tickets if t.rating)
    return out


def mask_open_id(open_id: str) -> str:
    """How exports show a resident: the last four characters, as the console does."""
    return f"…{open_id[-4:]}" if open_id else ""
