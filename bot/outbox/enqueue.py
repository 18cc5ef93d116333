"""The outbox: outbound messages written in the same transaction as the change that caused them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Outbox, Ticket
from bot.domain import OutboundMessage


def row_priority(session: Session, msg: OutboundMessage) -> int:
    """1 for anything about an urgent ticket (the dispatcher sends those first), else 0."""
    if msg.extra.get("urgent"):
        return 1
    ticket = session.get(Ticket, msg.ticket_id) if msg.ticket_id is not None else None
    return 1 if ticket is not None and ticket.priority == "urgent" else 0


def enqueue(session: Session, msg: OutboundMessage, now: datetime, hold_until: datetime | None = None) -> Outbox | None:
    """Queue a message; a repeated dedupe_key queues nothing (idempotent sweeps).

    `hold_until`: the row waits as 'held' (quiet hours) for the morning digest instead of being sent.
    """
    if msg.dedupe_key and session.scalar(select(Outbox.id).where(Outbox.dedupe_key == msg.dedupe_key)):
        return None
    row = Outbox(
        created_at=now,
        channel=msg.channel,
        recipient=msg.recipient,
        text=msg.text,
        payload=dict(msg.extra),
        ticket_id=msg.ticket_id,
        dedupe_key=msg.dedupe_key,
        status="held" if hold_until is not None else "pending",
        attempts=0,
        next_attempt_at=hold_until or now,
        priority=row_priority(session, msg),
    )
    session.add(row)
    return row
