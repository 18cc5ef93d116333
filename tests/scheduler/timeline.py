"""Scenario support: report a resident's message through the ticket service, walk the scheduler
minute by minute, and read back every staff notice sent (time, person, channel, text)."""
from __future__ import annotations

import itertools
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.db.models import Outbox
from bot.domain import Inbound
from scheduler import run_once
from tests.support.harness import ACCOUNT

SHANGHAI = timezone(timedelta(hours=8))
_ids = itertools.count(70_000_000)


@dataclass(frozen=True)
class Route:
    """What the router decides, as bot.tickets.core.open_ticket reads it."""

    category: str
    priority: str
    rule: str = "scenario"
    urgent: bool = False


def report(desk, text: str, at: datetime, priority: str = "normal", category: str = "repair",
           resident: str = "o_resident_1", reason: str = "handoff") -> int:
    """A resident's message handed to the ticket service at `at` (opening notices included);
    reason 'caution': the safety net's possible emergency."""
    from bot.tickets.core import open_ticket

    inbound = Inbound(open_id=resident, account=ACCOUNT, msg_key=f"msg:{next(_ids)}", kind="text", at=at, text=text)
    with desk.session() as s:
        return open_ticket(s, desk.services, inbound, Route(category, priority), at, reason=reason).id


def walk(desk, start: datetime, minutes, twice: bool = True) -> None:
    """run_once at every listed minute after `start` (twice, as two overlapping schedulers would)."""
    for m in minutes:
        at = start + timedelta(minutes=m)
        run_once(desk.services, at)
        if twice:
            run_once(desk.services, at)


def notices(desk, since: datetime | None = None) -> list[Outbox]:
    """Staff notices, in the order they were queued."""
    with desk.session() as s:
        q = select(Outbox).where(Outbox.channel == "staff").order_by(Outbox.id)
        if since is not None:
            q = q.where(Outbox.created_at >= since)
        return list(s.scalars(q))


def person(row: Outbox) -> str:
    return (row.payload or {}).get("staff") or row.recipient


def timeline(desk, since: datetime | None = None, first_line: bool = False) -> list[str]:
    """'03:05  杨磊  wecom_app  【紧急工单】…' for every notice sent, in sending order (whole text, or its first line)."""
    rows = sorted((r for r in notices(desk, since) if r.sent_at is not None), key=lambda r: (r.sent_at, r.id))
    return [f"{r.sent_at.astimezone(SHANGHAI):%m-%d %H:%M}  {person(r)}  {(r.payload or {}).get('via', r.channel)}  "
            + (r.text.splitlines()[0] if first_line else r.text.replace(chr(10), " / ")) for r in rows]
