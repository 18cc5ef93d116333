"""What a transfer tells people: the whole ticket (priority, resident, follow-ups), and for an urgent
ticket handed to someone off duty, the duty pair too — it stays with them until someone acts."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Staff, Ticket, TicketEvent
from bot import texts as M
from bot.texts import HOW_TO_ANSWER
from bot.tickets.notify import resident_label, short, to_staff

FOLLOWUPS_SHOWN = 3


def followups(session: Session, ticket: Ticket) -> list[str]:
    """The resident's latest follow-ups on this ticket, oldest first."""
    q = (select(TicketEvent).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "followup")
         .order_by(TicketEvent.id.desc()).limit(FOLLOWUPS_SHOWN))
    return [short(e.data.get("text", ""), 60) for e in reversed(list(session.scalars(q)))]


def transfer_text(session: Session, ticket: Ticket, by: Staff) -> str:
    """The notice the new holder reads: nothing of the ticket is lost in a transfer."""
    mark = M.PRIORITY_NAMES["urgent"] if ticket.priority == "urgent" else ""
    lines = [M.TRANSFER_HEAD.format(mark=mark, id=ticket.id, by=by.name),
             M.TRANSFER_CATEGORY.format(category=M.CATEGORY_NAMES.get(ticket.category, ticket.category),
                                        priority=M.PRIORITY_NAMES.get(ticket.priority, ticket.priority)),
             M.RESIDENT_LINE.format(resident=resident_label(session, ticket.resident_open_id)),
             M.TRANSFER_QUESTION.format(subject=ticket.subject)]
    lines += [M.TRANSFER_FOLLOWUP.format(text=t) for t in followups(session, ticket)]
    if ticket.unreachable:
        lines.append(M.UNREACHABLE_FLAG)
    lines.append(HOW_TO_ANSWER.format(id=ticket.id))
    return "\n".join(lines)


def transfer_notices(session: Session, services, ticket: Ticket, by: Staff, to: Staff, now: datetime) -> None:
    """Tell the new holder; an urgent ticket given to someone off duty also stays with the duty pair."""
    to_staff(session, services.settings, to, transfer_text(session, ticket, by), now, ticket)
    if ticket.priority != "urgent":
        return
    pair = [s for s in services.duty.on_duty(session, now) if s.id not in (to.id, by.id)]
    if to.id in {s.id for s in services.duty.on_duty(session, now)}:
        return
    text = M.URGENT_TRANSFER_TO_PAIR.format(id=ticket.id, by=by.name, to=to.name, subject=short(ticket.subject),
                                            how=HOW_TO_ANSWER.format(id=ticket.id))
    for person in pair:
        to_staff(session, services.settings, person, text, now, ticket)
