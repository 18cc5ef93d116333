"""The ticket's append-only audit log: one TicketEvent per thing that happened."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot.db.models import Ticket, TicketEvent


def event(session: Session, ticket: Ticket, actor: str, kind: str, now: datetime,
          key: str | None = None, **data) -> TicketEvent:
    """Append one audit event (who, when, what); history is never rewritten."""
    ev = TicketEvent(ticket_id=ticket.id, at=now, actor=actor, kind=kind, data=data, dedupe_key=key)
    session.add(ev)
    return ev
