"""Dashboard figures over a date range, and the ticket ledger (工单台账) as xlsx."""
from __future__ import annotations

import io
import statistics
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, timedelta

from openpyxl import Workbook
from sqlalchemy import select

from bot.sweeps import reports
from bot.db.models import Ticket
from bot.xlsx_safe import keep_as_text
from bot.web.helpers import CATEGORY_NAMES, PRIORITY_NAMES, STATUS_NAMES, day_range, local

LEDGER_COLUMNS = ("工单编号", "提交时间", "居民", "类别", "优先级", "状态", "问题", "处理人", "首次响应时间",
                  "响应用时（分钟）", "最近答复", "关闭时间", "评价", "无法送达")


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


def _ledger_row(t: Ticket, full_ids: bool = False) -> list:
    wait = round((t.first_response_at - t.created_at).total_seconds() / 60, 1) if t.first_response_at else None
    who = t.resident_open_id if full_ids else mask_open_id(t.resident_open_id)
    return [t.id, local(t.created_at), who, CATEGORY_NAMES.get(t.category, t.category),
            PRIORITY_NAMES.get(t.priority, t.priority), STATUS_NAMES.get(t.status, t.status), t.subject,
            t.assignee.name if t.assignee else "", local(t.first_response_at), wait, t.last_answer or "",
            local(t.closed_at), t.rating, "是" if t.unreachable else ""]


def ledger_xlsx(session, first: date, last: date, title: str, full_ids: bool = False) -> bytes:
    """The ticket ledger: one row per ticket created in [first, last] (open_ids masked unless full_ids)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "工单台账"
    ws.append([f"{title} 工单台账 {first.isoformat()} 至 {last.isoformat()}"])
    ws.append(list(LEDGER_COLUMNS))
    for t in tickets_between(session, first, last):
        ws.append(_ledger_row(t, full_ids))
    for col, width in zip("ABCDEFGHIJKLMN", (9, 17, 22, 10, 8, 8, 40, 10, 17, 10, 40, 17, 6, 8)):
        ws.column_dimensions[col].width = width
    keep_as_text(ws)  # residents wrote these cells: never formulas
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
