"""Helpers for scheduler tests: tickets straight into the database, outbox and event queries."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import select

from bot.db.models import Outbox, Staff, Ticket, TicketEvent

SHANGHAI = timezone(timedelta(hours=8))


def local(y, mo, d, h=0, mi=0) -> datetime:
    """An Asia/Shanghai wall-clock time as aware UTC."""
    return datetime(y, mo, d, h, mi, tzinfo=SHANGHAI).astimezone(timezone.utc)


def staff(session, name: str) -> Staff:
    return session.scalar(select(Staff).where(Staff.name == name))


def open_ticket(desk_or_factory, subject="小区东门的门禁卡怎么补办？", priority="normal", assignee=None,
                at=None, resident="o_resident_1") -> int:
    """Insert an open ticket whose response clock starts at `at` (as the ticket service does)."""
    with _session(desk_or_factory) as s:
        who = staff(s, assignee) if assignee else None
        t = Ticket(resident_open_id=resident, subject=subject, category="consult", priority=priority,
                   status="open", assignee_id=who.id if who else None, created_at=at, waiting_since=at)
        s.add(t)
        s.flush()
        return t.id


def answer(desk, ticket_id: int, at: datetime) -> None:
    """A staff answer, as bot.tickets.actions.answer leaves the ticket: clock stopped."""
    with desk.session() as s:
        t = s.get(Ticket, ticket_id)
        t.status, t.waiting_since, t.answered_at = "answered", None, at
        t.first_response_at = t.first_response_at or at


def take(desk, ticket_id: int, name: str, at: datetime) -> None:
    """接单 by `name`, through the ticket service (the acknowledgement clock stops)."""
    from bot.tickets.actions import take as take_ticket

    with desk.session() as s:
        take_ticket(s, s.get(Ticket, ticket_id), staff(s, name), at)


def follow_up(desk, ticket_id: int, at: datetime) -> None:
    """A resident follow-up reopens the ticket and restarts the response clock."""
    with desk.session() as s:
        t = s.get(Ticket, ticket_id)
        t.status, t.waiting_since = "open", at


def events(desk, ticket_id: int | None = None, kind: str = "escalation") -> list[TicketEvent]:
    with desk.session() as s:
        q = select(TicketEvent).where(TicketEvent.kind == kind).order_by(TicketEvent.id)
        if ticket_id is not None:
            q = q.where(TicketEvent.ticket_id == ticket_id)
        return list(s.scalars(q))


def esc_outbox(desk) -> list[Outbox]:
    return [o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:")]


def _session(x):
    if hasattr(x, "session"):
        return x.session()
    from bot.db import transaction

    return transaction(x)


def duty_pair(desk, at: datetime | None = None) -> list[str]:
    """Names on duty at `at` (default: the desk clock) according to the roster."""
    with desk.session() as s:
        return [p.name for p in desk.services.duty.on_duty(s, at or desk.clock.now())]


def open_id_of(desk, name: str) -> str:
    return next(s.open_id for s in desk.settings.staff if s.name == name)
