"""What a ticket is about and when it last moved: the database side of threading follow-ups."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.conversation import live_state
from bot.db.models import ConversationState, Ticket, TicketEvent

TEXT_EVENTS = ("opened", "followup")
MOVED_EVENTS = ("opened", "followup", "answered", "asked", "taken", "reopened")
STAFF_ASKED_TTL = timedelta(days=3)
STAFF_ASKED_AFTER_REPLY = timedelta(minutes=30)  # more replies right after the first still belong


def matter_text(session: Session, ticket: Ticket, limit: int = 6) -> str:
    """The ticket's subject and the resident's latest follow-ups, as one text to compare against."""
    rows = session.scalars(select(TicketEvent.data).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "followup").order_by(TicketEvent.id.desc()).limit(limit))
    texts = [ticket.subject, *(d.get("text", "") for d in rows if not d.get("asked_for_person"))]
    return "。".join(t for t in texts if t and not t.startswith("["))


def last_activity(session: Session, ticket: Ticket) -> datetime:
    """When the resident or staff last did something on the ticket."""
    at = session.scalar(select(TicketEvent.at).where(TicketEvent.ticket_id == ticket.id,
                                                     TicketEvent.kind.in_(MOVED_EVENTS))
                        .order_by(TicketEvent.id.desc()).limit(1))
    return at or ticket.created_at


def staff_asked(session: Session, open_id: str, now: datetime) -> int | None:
    """The ticket whose staff question the resident's next message answers, if any."""
    row = live_state(session, open_id, "staff_asked", now)
    return row.data.get("ticket_id") if row is not None else None


def resident_replied_to_staff(session: Session, open_id: str, now: datetime) -> None:
    """After the first reply, only the next half hour's messages still count as replies."""
    row = live_state(session, open_id, "staff_asked", now)
    if row is not None and row.data.get("replied") is None:
        row.data = {**row.data, "replied": now.isoformat()}
        row.expires_at = min(row.expires_at, now + STAFF_ASKED_AFTER_REPLY)


def thread_choice(session: Session, open_id: str, ticket_id: int, now: datetime) -> str | None:
    """What the resident told us last time we asked about this ticket: 'join' or 'new'."""
    row = live_state(session, open_id, "thread_pref", now)
    return row.data.get("choice") if row is not None and row.data.get("ticket_id") == ticket_id else None


def pending_question(session: Session, open_id: str, now: datetime) -> ConversationState | None:
    """Our open '补充工单#N，还是新问题？' question, if the resident has not answered it yet."""
    return live_state(session, open_id, "thread_ask", now)
