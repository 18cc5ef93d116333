"""Tell staff about swaps, leave with stand-ins and cancellations (issue 16: nobody was told)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import DutyOverride, Staff
from bot.tickets.notify import staff_message


def tell(session: Session, settings, names, text: str, now: datetime, key: str) -> int:
    """Queue `text` to each named active staff member once; returns how many were queued."""
    sent = 0
    for name in dict.fromkeys(n for n in names if n):
        person = session.scalar(select(Staff).where(Staff.name == name, Staff.active.is_(True)))
        if person is not None:
            sent += bool(staff_message(session, settings, person, text, now, f"{key}:{name}"))
    return sent


def swap_text(day: str, out: str, into: str) -> str:
    return f"【换班】{day}的值班由{into}替{out}，已登记。如有变化请联系管理员。"


def leave_text(name: str, notes: list[str]) -> str:
    return f"【请假】{name}的请假已登记。" + ("值班调整：" + "；".join(notes) + "。" if notes else "")


def cancel_text(row: DutyOverride, what: str) -> str:
    return f"【调整撤销】{what}已撤销，恢复原来的值班安排。请以值班表为准。"


def override_key(row: DutyOverride, action: str) -> str:
    return f"roster-{action}:{row.id}"
