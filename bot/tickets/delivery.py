"""The tickets side of the outbox's outcomes: the dispatcher tells tickets here, and only here, what
became of a message about a ticket (never delivered, or an urgent alert that reached someone)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Outbox, Ticket
from bot.tickets.actions import mark_unreachable
from bot.tickets.core import notify_assignee_or_duty
from bot.tickets.notify import resident_phone, to_resident


def undeliverable(session: Session, services, row: Outbox, now: datetime, *, out_of_window: bool) -> bool:
    """A message to a ticket's resident cannot be delivered; False when the row is about no ticket of theirs.

    Outside the 48-hour window the ticket is flagged 'please phone' and the message waits for the
    resident's next message (handlers/deferred.py); with its retries used up, the ticket's staff are
    told to phone the resident.
    """
    ticket = _resident_ticket(session, row)
    if ticket is None:
        return False
    if out_of_window:
        mark_unreachable(session, services, ticket, row.text, now, reason=(row.last_error or "")[:60], deferred=True)
    else:
        text = M.GAVE_UP_TO_STAFF.format(id=ticket.id, phone=resident_phone(session, ticket.resident_open_id),
                                         text=row.text[:200])
        notify_assignee_or_duty(session, services, ticket, text, now)
    return True


def tell_resident_reached(session: Session, row: Outbox, now: datetime) -> bool:
    """The first staff notice about an urgent ticket that is delivered: the resident learns who has it.

    The passive reply only knew the alert was queued; this says who was actually reached.
    """
    ticket = session.get(Ticket, row.ticket_id) if row.ticket_id is not None else None
    if ticket is None or ticket.priority != "urgent" or ticket.waiting_since is None:
        return False
    name = (row.payload or {}).get("staff") or M.NOBODY
    to_resident(session, ticket, M.URGENT_REACHED.format(id=ticket.id, staff=name), now, key=f"reached:{ticket.id}")
    return True


def _resident_ticket(session: Session, row: Outbox) -> Ticket | None:
    if row.ticket_id is None:
        return None
    ticket = session.get(Ticket, row.ticket_id)
    return ticket if ticket is not None and ticket.resident_open_id == row.recipient else None
