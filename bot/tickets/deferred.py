"""Answers the 48-hour customer-service window blocked: kept, and given when the resident writes again."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Outbox, Resident, Ticket
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot import texts as M

WINDOW = timedelta(hours=48)
PASSIVE_LIMIT = 2048  # bytes WeChat accepts in one passive reply


def in_window(session: Session, open_id: str, now: datetime) -> bool:
    """The resident wrote within the last 48 hours, so a customer-service message can reach them."""
    last = session.scalar(select(Resident.last_message_at).where(Resident.open_id == open_id))
    return last is not None and now - last < WINDOW


def to_resident(session: Session, ticket: Ticket, text: str, now: datetime) -> bool:
    """Queue a message to the ticket's resident; outside the window it waits ('deferred'). True if sent now."""
    row = enqueue(session, OutboundMessage(recipient=ticket.resident_open_id, text=text, channel="customer_service",
                                           ticket_id=ticket.id, extra={"kind": "resident"}), now)
    if in_window(session, ticket.resident_open_id, now) and not ticket.unreachable:
        return True  # (unreachable: WeChat already refused one since their last message)
    row.status, row.last_error = "deferred", "outside the 48-hour window: waits for the resident's next message"
    return False


def waiting(session: Session, open_id: str) -> list[Outbox]:
    """The resident's deferred messages, oldest first."""
    return list(session.scalars(select(Outbox).where(Outbox.recipient == open_id, Outbox.status == "deferred")
                                .order_by(Outbox.id)))


def give(rows: list[Outbox], reply: str, now: datetime) -> str:
    """The deferred texts first, then the reply, in one passive reply within WeChat's size limit.
    Rows that do not fit are sent by the dispatcher right away (the window is open again)."""
    parts: list[str] = []
    for row in rows:
        trial = M.DEFERRED_SEPARATOR.join([*parts, row.text, reply])
        if len(trial.encode("utf-8")) <= PASSIVE_LIMIT and len(parts) == rows.index(row):
            parts.append(row.text)
            row.status, row.sent_at = "sent", now
            row.payload = {**(row.payload or {}), "via": "passive_reply"}
        else:
            row.status, row.next_attempt_at, row.last_error = "pending", now, None
    return M.DEFERRED_SEPARATOR.join([*parts, reply])
