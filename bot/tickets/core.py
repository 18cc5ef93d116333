"""Ticket lifecycle basics: events, assignment by load, opening, follow-ups, look-ups."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Staff, Ticket
from bot.domain import Inbound
from bot.tickets import contact, media
from bot.tickets.events import event
from bot import texts as M
from bot.tickets.notify import resident_label, to_many, to_staff

ACTIVE = ("open", "answered")
SUBJECT_MAX = 500


def get(session: Session, ticket_id: int, for_update: bool = False) -> Ticket | None:
    """A ticket by number (row-locked on PostgreSQL when for_update)."""
    q = select(Ticket).where(Ticket.id == ticket_id)
    if for_update:
        q = q.with_for_update(of=Ticket)
    return session.scalar(q)


def active_for_resident(session: Session, open_id: str) -> Ticket | None:
    """The resident's most recent open or answered ticket."""
    q = (select(Ticket).where(Ticket.resident_open_id == open_id, Ticket.status.in_(ACTIVE))
         .order_by(Ticket.id.desc()).limit(1))
    return session.scalar(q)


def least_loaded(session: Session, candidates: list[Staff], now: datetime) -> Staff | None:
    """The one load rule (new tickets, the ladder's reassign step, the handover): the candidate with the
    fewest active tickets, then the fewest tickets of the last 24 hours, then rotation order."""
    if not candidates:
        return None
    since = now - timedelta(hours=24)
    active = case((Ticket.status.in_(ACTIVE), 1), else_=0)
    recent = case((Ticket.created_at >= since, 1), else_=0)
    rows = session.execute(
        select(Ticket.assignee_id, func.sum(active), func.sum(recent))
        .where(Ticket.assignee_id.in_([s.id for s in candidates]),
               or_(Ticket.status.in_(ACTIVE), Ticket.created_at >= since))
        .group_by(Ticket.assignee_id)).all()
    counts = {sid: (int(a or 0), int(r or 0)) for sid, a, r in rows}
    return min(candidates, key=lambda s: (*counts.get(s.id, (0, 0)), s.rotation_order, s.id))


def open_ticket(session: Session, services, inbound: Inbound, route, now: datetime,
                reason: str = "handoff") -> Ticket:
    """Open a ticket for a resident's message, assign it by load, notify staff."""
    on_duty = list(services.duty.on_duty(session, now))
    assignee = least_loaded(session, on_duty, now)
    ticket = Ticket(
        resident_open_id=inbound.open_id, subject=inbound.describe()[:SUBJECT_MAX], category=route.category,
        priority=route.priority, status="open", assignee=assignee,
        created_at=now, waiting_since=now, escalation_level=0,
    )
    session.add(ticket)
    session.flush()
    contact.learn(session, inbound.open_id, inbound.text)  # before the notice, so staff see it
    line = media.staff_line(session, services.settings, ticket.id, inbound, now)
    event(session, ticket, "resident", "opened", now, text=inbound.describe(), msg_key=inbound.msg_key,
          category=route.category, priority=route.priority, rule=route.rule, reason=reason,
          **({"staff_line": line} if line != inbound.describe() else {}))
    if assignee is not None:
        event(session, ticket, "system", "assigned", now, to=assignee.name, why="least_loaded")
    _notify_new(session, services, ticket, assignee, on_duty, now, line, reason)
    return ticket


def _notify_new(session, services, ticket: Ticket, assignee, on_duty, now, line: str,
                reason: str = "handoff") -> None:
    settings = services.settings
    resident = resident_label(session, ticket.resident_open_id)
    if reason == "caution":   # the safety net is unsure: both on duty hear of it, marked 可能紧急
        text = M.CAUTION_TO_STAFF.format(id=ticket.id, resident=resident, subject=line,
                                         assignee=assignee.name if assignee else M.NOBODY)
        to_many(session, settings, on_duty or services.duty.leads(session), text, now, ticket)
        return
    if ticket.priority == "urgent":
        text = M.URGENT_TO_STAFF.format(id=ticket.id, resident=resident, subject=line,
                                        assignee=assignee.name if assignee else M.NOBODY)
        to_many(session, settings, [*on_duty, *services.duty.leads(session)], text, now, ticket)
        return
    text = M.NEW_TICKET_TO_STAFF.format(
        id=ticket.id, category=M.CATEGORY_NAMES.get(ticket.category, ticket.category),
        priority=M.PRIORITY_NAMES.get(ticket.priority, ticket.priority), resident=resident,
        subject=line, history=_history(session, ticket))
    people = [assignee] if assignee is not None else services.duty.leads(session)
    to_many(session, settings, people, text, now, ticket)


def _history(session: Session, ticket: Ticket) -> str:
    q = (select(Ticket).where(Ticket.resident_open_id == ticket.resident_open_id, Ticket.id != ticket.id)
         .order_by(Ticket.id.desc()))
    earlier = list(session.scalars(q.limit(3)))
    if not earlier:
        return M.HISTORY_NONE
    count = session.scalar(select(func.count()).select_from(q.subquery()))
    items = "；".join(M.HISTORY_ITEM.format(id=t.id, subject=t.subject[:20], status=M.STATUS_NAMES.get(t.status, t.status))
                     for t in earlier)
    return M.HISTORY_LINE.format(count=count, items=items)


def restart_clock(ticket: Ticket, now: datetime) -> None:
    """The resident is waiting again: the escalation sweep measures from now."""
    ticket.status = "open"
    ticket.waiting_since = now
    ticket.escalation_level = 0


def add_followup(session: Session, services, ticket: Ticket, inbound: Inbound, now: datetime,
                 asked_for_person: bool = False, reply_to_question: bool = False) -> None:
    """A resident's follow-up joins the ticket and restarts the response clock."""
    contact.learn(session, inbound.open_id, inbound.text)
    line = media.staff_line(session, services.settings, ticket.id, inbound, now)
    event(session, ticket, "resident", "followup", now, text=inbound.describe(), msg_key=inbound.msg_key,
          msg_kind=inbound.kind, media_id=inbound.media_id, asked_for_person=asked_for_person,
          **({"staff_line": line} if line != inbound.describe() else {}))
    restart_clock(ticket, now)
    ticket.unreachable = False  # the resident wrote again: the 48-hour window is open
    text = _followup_notice(session, ticket, inbound, line, asked_for_person, reply_to_question)
    people = [ticket.assignee] if ticket.assignee is not None else services.duty.on_duty(session, now)
    to_many(session, services.settings, people, text, now, ticket)


def _followup_notice(session: Session, ticket: Ticket, inbound: Inbound, line: str, human: bool,
                     reply_to_question: bool) -> str:
    """What the assignee reads: the follow-up (or the resident's own question for 转人工) and who wrote."""
    resident = M.RESIDENT_LINE.format(resident=resident_label(session, ticket.resident_open_id))
    if reply_to_question:
        return M.REPLY_TO_STAFF_QUESTION.format(id=ticket.id, text=line, resident=resident[3:])
    if human:
        asked = "" if inbound.text.strip() in ("", "0") else M.HUMAN_QUESTION.format(text=line)
        return M.HUMAN_TO_STAFF.format(id=ticket.id) + asked + "\n" + resident
    return M.FOLLOWUP_TO_STAFF.format(id=ticket.id, text=line + "\n" + resident)  # who, before how to answer


def notify_assignee_or_duty(session: Session, services, ticket: Ticket, text: str, now: datetime) -> None:
    """Tell the assignee, or today's duty staff when nobody has the ticket."""
    if ticket.assignee is not None:
        to_staff(session, services.settings, ticket.assignee, text, now, ticket)
    else:
        to_many(session, services.settings, services.duty.on_duty(session, now), text, now, ticket)
