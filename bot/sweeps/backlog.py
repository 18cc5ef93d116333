"""The backlog stays visible: overdue tickets in one daily digest to the leads, and in the report.

A ticket is overdue once its resident has waited past the first step of its ladder that involves a
lead (60 minutes for a normal ticket by default); from then on the per-ticket reminders end after
their configured repetitions and this digest keeps the leads informed, once a day, however old.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Ticket
from bot.roster.store import duty_day
from bot.sweeps.escalation import ladder
from bot.tickets.notify import staff_message
from bot.sweeps.handover import claim_mark, open_tickets, ticket_line

DEFAULT_OVERDUE_MIN = 60
LINES_PER_MESSAGE = 15


def overdue_after(settings, priority: str) -> timedelta:
    """How long a ticket of this priority may wait before it counts as overdue."""
    # the immediate alerts of an urgent ticket (after 0 minutes) are not lateness
    steps = [s.after_min for s in ladder(settings, priority)
             if s.action in ("notify_lead", "notify_all_staff") and s.after_min > 0]
    return timedelta(minutes=min(steps) if steps else DEFAULT_OVERDUE_MIN)


def is_overdue(settings, ticket: Ticket, now: datetime) -> bool:
    """Still waiting for staff past its priority's overdue time."""
    return (ticket.status == "open" and ticket.waiting_since is not None
            and now - ticket.waiting_since >= overdue_after(settings, ticket.priority))


def overdue(session: Session, settings, now: datetime) -> list[Ticket]:
    """Overdue tickets, urgent first, then the longest waiting."""
    found = [t for t in open_tickets(session) if is_overdue(settings, t, now)]
    return sorted(found, key=lambda t: (t.priority != "urgent", t.waiting_since, t.id))


def digest_texts(tickets: list[Ticket], now: datetime) -> list[str]:
    """The leads' overdue digest, split into messages of LINES_PER_MESSAGE tickets."""
    lines = [ticket_line(t, now) for t in tickets]
    parts = [lines[i:i + LINES_PER_MESSAGE] for i in range(0, len(lines), LINES_PER_MESSAGE)]
    head, tail = M.OVERDUE_HEAD.format(count=len(tickets)), M.OVERDUE_TAIL
    return ["\n".join(([head] if n == 0 else [M.OVERDUE_MORE.format(n=n + 1)]) + part + ([tail] if n == len(parts) - 1 else []))
            for n, part in enumerate(parts)]


def overdue_digest_due(session: Session, services, now: datetime, by: str = "") -> int | None:
    """Once per duty day: one digest of every overdue ticket to each lead; returns how many tickets."""
    day = duty_day(now, services.settings)
    if not claim_mark(session, f"overdue:{day.isoformat()}", now):
        return None
    tickets = overdue(session, services.settings, now)
    if not tickets:
        return 0
    for lead in services.duty.leads(session):
        for part, text in enumerate(digest_texts(tickets, now)):
            staff_message(session, services.settings, lead, text, now,
                         f"overdue:{day.isoformat()}:{lead.id}" + (f":{part}" if part else ""))
    return len(tickets)
