"""Ticket texts built from the database: status for residents, to-do lists and details for staff."""
from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Staff, Ticket, TicketEvent
from bot import texts as M
from bot.tickets.core import ACTIVE
from bot.tickets.notify import resident_label
from bot.sweeps.quiet import expectation

MY_TICKETS_LIMIT = 5


def _assignee(ticket: Ticket) -> str:
    return ticket.assignee.name if ticket.assignee else M.NOBODY


def _short(text: str | None, n: int = 30) -> str:
    text = (text or "").replace("\n", " ")
    return text if len(text) <= n else text[:n] + "…"


def my_tickets(session: Session, open_id: str) -> str:
    """A resident's recent tickets with status and who has them."""
    rows = list(session.scalars(select(Ticket).where(Ticket.resident_open_id == open_id)
                                .order_by(Ticket.id.desc()).limit(MY_TICKETS_LIMIT)))
    if not rows:
        return M.MY_TICKETS_NONE
    lines = [M.MY_TICKETS_LINE.format(id=t.id, subject=_short(t.subject, 20),
                                      status=M.STATUS_NAMES.get(t.status, t.status), assignee=_assignee(t))
             for t in rows]
    return "\n".join([M.MY_TICKETS_HEADER, *lines, M.MY_TICKETS_FOOTER])


def ticket_status(ticket: Ticket, tz: str) -> str:
    """One ticket's status, owner and last answer, for its resident."""
    created = ticket.created_at.astimezone(ZoneInfo(tz)).strftime(M.DATE_FORMAT)
    text = M.TICKET_STATUS.format(id=ticket.id, subject=_short(ticket.subject, 60),
                                  status=M.STATUS_NAMES.get(ticket.status, ticket.status),
                                  assignee=_assignee(ticket), created=created)
    if ticket.last_answer:
        text += M.TICKET_STATUS_ANSWER.format(answer=_short(ticket.last_answer, 200))
    return text


def todo(session: Session, staff: Staff, now: datetime) -> str:
    """待办: the staff member's active tickets, oldest wait first, and any unassigned ones."""
    rows = list(session.scalars(select(Ticket).where(Ticket.assignee_id == staff.id, Ticket.status.in_(ACTIVE))
                                .order_by(Ticket.id)))
    lines = [M.TODO_LINE.format(id=t.id, priority=M.PRIORITY_NAMES.get(t.priority, t.priority),
                                subject=_short(t.subject, 20), status=M.STATUS_NAMES.get(t.status, t.status),
                                waiting=_waiting(t, now)) for t in rows]
    text = "\n".join([M.TODO_HEADER.format(count=len(rows)), *lines]) if rows else M.TODO_NONE
    loose = list(session.scalars(select(Ticket.id).where(Ticket.assignee_id.is_(None), Ticket.status == "open")
                                 .order_by(Ticket.id).limit(10)))
    if loose:
        text += "\n" + M.TODO_UNASSIGNED.format(count=len(loose), ids="、".join(f"#{i}" for i in loose))
    return text


def _waiting(ticket: Ticket, now: datetime) -> str:
    if ticket.waiting_since is None:
        return M.TODO_NOT_WAITING
    return M.TODO_WAITING.format(minutes=int((now - ticket.waiting_since).total_seconds() // 60))


def duty_today(session: Session, services, now: datetime) -> str:
    """值班: who is on duty now, with phones."""
    people = services.duty.on_duty(session, now)
    if not people:
        return M.DUTY_NOBODY
    names = "、".join(M.DUTY_PERSON.format(name=s.name, phone=s.phone) if s.phone else s.name for s in people)
    return M.DUTY_TODAY.format(names=names, phone=services.settings.desk.duty_phone)


def staff_detail(session: Session, ticket: Ticket, tz: str = "Asia/Shanghai") -> str:
    """#12: a ticket's details for staff, with the resident's follow-ups."""
    return _detail(session, ticket) + _followups(session, ticket, tz)


def _followups(session: Session, ticket: Ticket, tz: str, limit: int = 8) -> str:
    rows = list(session.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket.id,
                                                           TicketEvent.kind == "followup")
                                .order_by(TicketEvent.id.desc()).limit(limit)))
    if not rows:
        return ""
    lines = [f"{e.at.astimezone(ZoneInfo(tz)).strftime('%H:%M')} {e.data.get('staff_line') or e.data.get('text', '')}"
             for e in reversed(rows)]
    return "\n" + "\n".join([M.FOLLOWUPS_HEADER, *lines])


def _detail(session: Session, ticket: Ticket) -> str:
    return M.STAFF_TICKET_DETAIL.format(
        id=ticket.id, subject=ticket.subject, category=M.CATEGORY_NAMES.get(ticket.category, ticket.category),
        priority=M.PRIORITY_NAMES.get(ticket.priority, ticket.priority),
        status=M.STATUS_NAMES.get(ticket.status, ticket.status) + (M.UNREACHABLE_FLAG if ticket.unreachable else ""),
        assignee=_assignee(ticket), resident=resident_label(session, ticket.resident_open_id),
        answer=_short(ticket.last_answer, 200) or M.NOTHING_YET)


def acknowledgement(ticket: Ticket, settings) -> str:
    """The resident's passive reply for a new ticket: number, who on duty has it, what to expect."""
    # quiet hours: "明早8点后处理", never a promise the night breaks
    expect = expectation(settings, ticket.priority, ticket.created_at) or M.EXPECT.get(ticket.priority, M.EXPECT["normal"])
    fmt = dict(id=ticket.id, category=M.CATEGORY_NAMES.get(ticket.category, ticket.category),
               expect=expect, phone=settings.desk.duty_phone)
    if ticket.assignee is not None:
        return M.TICKET_ACK.format(assignee=ticket.assignee.name, **fmt)
    return M.TICKET_ACK_NOBODY.format(**fmt)
