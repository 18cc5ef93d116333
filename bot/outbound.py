"""The outbox: outbound messages written in the same transaction as the change that caused them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Outbox
from bot.domain import OutboundMessage


def enqueue(session: Session, msg: OutboundMessage, now: datetime) -> Outbox | None:
    """Queue a message; a repeated dedupe_key queues nothing (idempotent sweeps)."""
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
        status="pending",
        attempts=0,
        next_attempt_at=now,
    )
    session.add(row)
    return row
