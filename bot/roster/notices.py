"""Tell staff about swaps, leave with stand-ins and cancellations (issue 16: nobody was told)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
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
    return M.ROSTER_SWAP.format(day=day, into=into, out=out)


def leave_text(name: str, notes: list[str]) -> str:
    adjusted = M.ROSTER_LEAVE_NOTES.format(notes=M.LIST_SEPARATOR.join(notes)) if notes else ""
    return M.ROSTER_LEAVE.format(name=name) + adjusted


def cancel_text(row: DutyOverride, what: str) -> str:
    return M.ROSTER_CANCELLED.format(what=what)


def override_key(row: DutyOverride, action: str) -> str:
    return f"roster-{action}:{row.id}"
