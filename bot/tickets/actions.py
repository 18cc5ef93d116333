"""What staff and residents do to a ticket. Every change is also a TicketEvent."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import ConversationState, FaqDraft, Staff, Ticket, TicketEvent
from bot.tickets import deferred, threads
from bot import conversation, texts as M
from bot.tickets.core import event, notify_assignee_or_duty, restart_clock
from bot.tickets.notify import resident_phone, to_many, to_resident
from bot.tickets.transfer_notice import transfer_notices

_QUESTION_END = re.compile(r"([?？]|吗|呢|好吗|可以吗|方便吗)[\s。.！!~～]*$")
_ASKING = re.compile(r"请问|麻烦(您|你)?(告诉|提供|发|说)|请(您|你)?(提供|告诉|发|说一下|回复)")

RATING_TTL = timedelta(days=3)
DISSATISFIED_AT_MOST = 2


class TicketClosed(Exception):
    """The ticket is closed or cancelled: staff can no longer act on it."""


def _require_active(ticket: Ticket) -> None:
    if ticket.status in ("closed", "cancelled"):
        raise TicketClosed(ticket.status)


def is_question(text: str) -> bool:
    """A staff message that asks the resident something ('请问您住几号楼？')."""
    t = (text or "").strip()
    return bool(_QUESTION_END.search(t) or _ASKING.search(t))


def answer(session: Session, ticket: Ticket, staff: Staff, text: str, now: datetime, mode: str = "auto") -> bool:
    """Relay a staff message to the resident. A final answer stops the clock and asks for a rating; a
    question (mode 'question', or 'auto' and it reads as one) waits for the resident's reply instead.
    Returns False when the 48-hour window held it back (it goes out with the resident's next message)."""
    _require_active(ticket)
    if mode == "question" or (mode == "auto" and is_question(text)):
        return _ask_resident(session, ticket, staff, text, now)
    event(session, ticket, staff.name, "answered", now, text=text)
    ticket.first_response_at = ticket.first_response_at or now
    ticket.last_answer = text
    ticket.answered_at = now
    ticket.status = "answered"
    ticket.waiting_since = None
    conversation.drop_state(session, ticket.resident_open_id, "staff_asked")
    ask_rating(session, ticket, now)
    return deferred.to_resident(session, ticket, M.ANSWER_TO_RESIDENT.format(id=ticket.id, staff=staff.name, text=text), now)


def _ask_resident(session: Session, ticket: Ticket, staff: Staff, text: str, now: datetime) -> bool:
    """Staff need something from the resident: no rating; their next message is the reply."""
    event(session, ticket, staff.name, "asked", now, text=text)
    ticket.first_response_at = ticket.first_response_at or now
    ticket.waiting_since = None  # waiting for the resident, not for staff
    session.execute(delete(ConversationState).where(ConversationState.open_id == ticket.resident_open_id,
                                                    ConversationState.kind == "rating"))
    conversation.put_state(session, ticket.resident_open_id, "staff_asked", {"ticket_id": ticket.id}, now,
                           threads.STAFF_ASKED_TTL)
    return deferred.to_resident(session, ticket, M.QUESTION_TO_RESIDENT.format(id=ticket.id, staff=staff.name, text=text), now)


def ask_rating(session: Session, ticket: Ticket, now: datetime) -> None:
    """Remember that the resident's next 1-5 / 满意 reply rates this ticket."""
    session.execute(delete(ConversationState).where(ConversationState.open_id == ticket.resident_open_id,
                                                    ConversationState.kind == "rating"))
    session.add(ConversationState(open_id=ticket.resident_open_id, kind="rating",
                                  data={"ticket_id": ticket.id}, created_at=now, expires_at=now + RATING_TTL))


def take(session: Session, ticket: Ticket, staff: Staff, now: datetime) -> None:
    """接单: the staff member has it; the acknowledgement clock stops, the resolution clock runs on
    (waiting_since stays until an answer; see bot.sweeps.escalation.acknowledged_at)."""
    _require_active(ticket)
    previous = ticket.assignee.name if ticket.assignee else None
    event(session, ticket, staff.name, "taken", now, previous=previous)
    ticket.assignee = staff
    ticket.first_response_at = ticket.first_response_at or now
    to_resident(session, ticket, M.TAKEN_TO_RESIDENT.format(id=ticket.id, staff=staff.name), now)


def transfer(session: Session, services, ticket: Ticket, by: Staff, to: Staff, now: datetime) -> None:
    """Hand the ticket to a colleague and tell them."""
    _require_active(ticket)
    event(session, ticket, by.name, "transferred", now,
          previous=ticket.assignee.name if ticket.assignee else None, to=to.name)
    ticket.assignee = to
    transfer_notices(session, services, ticket, by, to, now)


def close(session: Session, ticket: Ticket, actor: str, now: datetime, notify: bool = True, reason: str = "") -> None:
    """Close the ticket; the resident is told (with the staff member's reason when it was never answered)."""
    _require_active(ticket)
    event(session, ticket, actor, "closed", now, **({"reason": reason} if reason else {}))
    ticket.status = "closed"
    ticket.closed_at = now
    ticket.waiting_since = None
    if notify:
        text = (M.CLOSED_WITH_REASON_TO_RESIDENT.format(id=ticket.id, staff=actor, reason=reason) if reason
                else M.CLOSED_TO_RESIDENT.format(id=ticket.id))
        deferred.to_resident(session, ticket, text, now)


def cancel(session: Session, services, ticket: Ticket, now: datetime) -> None:
    """The resident withdraws the ticket; the assignee is told."""
    _require_active(ticket)
    event(session, ticket, "resident", "cancelled", now)
    ticket.status = "cancelled"
    ticket.closed_at = now
    ticket.waiting_since = None
    notify_assignee_or_duty(session, services, ticket, M.CANCELLED_TO_STAFF.format(id=ticket.id), now)


def rate(session: Session, services, ticket: Ticket, stars: int, now: datetime) -> bool:
    """Store the resident's rating; a dissatisfied one reopens the ticket and tells the leads."""
    session.execute(delete(ConversationState).where(ConversationState.open_id == ticket.resident_open_id,
                                                    ConversationState.kind == "rating"))
    event(session, ticket, "resident", "rated", now, stars=stars)
    ticket.rating = stars
    if stars > DISSATISFIED_AT_MOST or ticket.status == "cancelled":
        return False
    event(session, ticket, "system", "reopened", now, why="dissatisfied", stars=stars)
    ticket.closed_at = None
    restart_clock(ticket, now)
    text = M.REOPENED_TO_STAFF.format(id=ticket.id, stars=stars, subject=ticket.subject,
                                      answer=ticket.last_answer or M.NOTHING_YET,
                                      assignee=ticket.assignee.name if ticket.assignee else M.NOBODY)
    to_many(session, services.settings, [*services.duty.leads(session), ticket.assignee], text, now, ticket)
    return True


def propose_faq(session: Session, ticket: Ticket, staff: Staff, now: datetime) -> FaqDraft | None:
    """#12 入库: the ticket's question and last answer become an FAQ draft for admins."""
    reply = _answer_to_subject(session, ticket)
    if not reply:
        return None
    route = ticket.category if ticket.category != "urgent" else "aid"
    draft = FaqDraft(question=ticket.subject, answer=reply, route=route, ticket_id=ticket.id,
                     proposed_by=staff.name, created_at=now, status="pending")
    session.add(draft)
    session.flush()
    event(session, ticket, staff.name, "faq_proposed", now, draft_id=draft.id)
    return draft


def _answer_to_subject(session: Session, ticket: Ticket) -> str | None:
    """The last answer given before the resident followed up on an answer: the one that answers the
    ticket's own question (a later answer may answer a follow-up instead)."""
    found = None
    for kind, data in session.execute(select(TicketEvent.kind, TicketEvent.data).where(
            TicketEvent.ticket_id == ticket.id).order_by(TicketEvent.id)):
        if kind == "answered":
            found = data.get("text")
        elif kind == "followup" and found and not data.get("asked_for_person"):
            break
    return found


def mark_unreachable(session: Session, services, ticket: Ticket, undelivered: str, now: datetime,
                     reason: str = "45015", deferred: bool = False) -> None:
    """The 48-hour window has passed: flag the ticket and tell the assignee the truth (held back until the
    resident writes again, when `deferred`; else undelivered) with the resident's phone."""
    event(session, ticket, "system", "unreachable", now, reason=reason, text=undelivered[:500], deferred=deferred)
    ticket.unreachable = True
    notice = M.DEFERRED_TO_STAFF if deferred else M.UNREACHABLE_TO_STAFF
    text = notice.format(id=ticket.id, phone=resident_phone(session, ticket.resident_open_id), text=undelivered[:200])
    notify_assignee_or_duty(session, services, ticket, text, now)
