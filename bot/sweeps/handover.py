"""Shift-change handover: open tickets pass to the incoming pair, who get a digest."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Staff, SweepMark, Ticket, TicketEvent
from bot.outbox.staff_channels import reachability_warnings, usable_channels
from bot.roster.store import duty_day, shift_start
from bot.sweeps.escalation_steps import fmt_wait
from bot.tickets.core import least_loaded
from bot.tickets.notify import short, staff_message

log = logging.getLogger("linli.handover")
DIGEST_LIMIT = 15  # tickets listed in one WeChat message; the rest are counted


@dataclass
class Handover:
    """What one handover did."""

    day: date
    incoming: list[str]
    moved: list[tuple[int, str, str]] = field(default_factory=list)  # (ticket, from, to)
    open_tickets: int = 0


def claim_mark(session: Session, key: str, now: datetime) -> bool:
    """Insert the SweepMark `key`; False when some sweep already did this job."""
    if session.get(SweepMark, key) is not None:
        return False
    try:
        with session.begin_nested():
            session.add(SweepMark(key=key, done_at=now))
        return True
    except IntegrityError:
        return False


def open_tickets(session: Session) -> list[Ticket]:
    """Tickets still waiting for staff, oldest first."""
    q = select(Ticket).where(Ticket.status == "open").order_by(Ticket.created_at, Ticket.id)
    return list(session.scalars(q))


def held_by_staff(session: Session) -> list[Ticket]:
    """Tickets someone on duty must hold: open ones, and answered ones a follow-up may reopen."""
    q = select(Ticket).where(Ticket.status.in_(("open", "answered"))).order_by(Ticket.created_at, Ticket.id)
    return list(session.scalars(q))


def pair_key(day: date, people: list[Staff]) -> str:
    """The SweepMark recording that this pair was seen on duty on `day`."""
    return f"pair:{day.isoformat()}:" + "+".join(str(i) for i in sorted(s.id for s in people))


def handover_due(session: Session, services, now: datetime, by: str = "") -> Handover | None:
    """Once per duty day, after its shift change: move tickets and send the digest."""
    settings = services.settings
    day = duty_day(now, settings)
    if not claim_mark(session, f"handover:{day.isoformat()}", now):
        return None
    incoming = services.duty.on_duty(session, now)
    claim_mark(session, pair_key(day, incoming), now)  # later changes of today's pair are duty changes
    result = Handover(day, [s.name for s in incoming])
    if not incoming:
        result.open_tickets = len(open_tickets(session))
        log.error("handover for %s: nobody on duty", day)
        return result
    for ticket in held_by_staff(session):
        if ticket.assignee_id not in {s.id for s in incoming}:
            result.moved.append(_move(session, ticket, incoming, day, now, by))
    tickets = open_tickets(session)
    result.open_tickets = len(tickets)
    for person in incoming:
        for part, text in enumerate(digest_parts(person, incoming, tickets, day, now)):
            staff_message(session, settings, person, text, now,
                         f"handover:{day.isoformat()}:{person.id}" + (f":{part}" if part else ""))
    warn_unreachable(session, services, incoming, now, f"reach:{day.isoformat()}")
    return result


def warn_unreachable(session: Session, services, people: list[Staff], now: datetime, key: str) -> None:
    """Nobody without a working channel is on duty silently: the leads and the partner are told."""
    warnings = reachability_warnings(services.settings, people)
    if not warnings:
        return
    text = M.REACH_WARNING.format(warnings=M.REACH_SEPARATOR.join(warnings))
    reachable = [p for p in people if usable_channels(services.settings, p)]
    helpers = {s.id: s for s in services.duty.leads(session) + reachable}
    for person in helpers.values():
        staff_message(session, services.settings, person, text, now, f"{key}:{person.id}")


def _move(session: Session, ticket: Ticket, incoming: list[Staff], day: date, now: datetime, by: str,
          key: str = "handover"):
    """Reassign one ticket to the less loaded incoming staff member, as a TicketEvent."""
    before = ticket.assignee.name if ticket.assignee else ""
    target = least_loaded(session, incoming, now)
    ticket.assignee_id, ticket.assignee = target.id, target
    session.add(TicketEvent(ticket_id=ticket.id, at=now, actor="scheduler", kind="handover",
                            data={"from": before, "to": target.name, "day": day.isoformat(), "by": by},
                            dedupe_key=f"{key}:{day.isoformat()}:{ticket.id}"))
    session.flush()  # the next least_loaded() must count this ticket
    return ticket.id, before, target.name


def digest(person: Staff, pair: list[Staff], tickets: list[Ticket], day: date, now: datetime) -> str:
    """The incoming staff member's digest in one text (see digest_parts)."""
    return "\n".join(digest_parts(person, pair, tickets, day, now))


def ticket_line(t: Ticket, now: datetime) -> str:
    """One open ticket in a digest: urgent marked, holder, how long the resident has waited."""
    mark = M.URGENT_MARK if t.priority == "urgent" else ""
    who = t.assignee.name if t.assignee else M.UNASSIGNED
    waited = fmt_wait(now - (t.waiting_since or t.created_at))
    return M.DIGEST_LINE.format(mark=mark, id=t.id, subject=short(t.subject, 30), holder=who, waited=waited)


def digest_parts(person: Staff, pair: list[Staff], tickets: list[Ticket], day: date, now: datetime,
                 head: str | None = None) -> list[str]:
    """The digest: every open ticket however old, oldest first, in messages of DIGEST_LIMIT lines."""
    partner = M.NAME_SEPARATOR.join(s.name for s in pair if s.id != person.id) or M.HANDOVER_NO_PARTNER
    head = head or M.HANDOVER_HEAD.format(name=person.name, month=day.month, day=day.day, partner=partner)
    if not tickets:
        return [head + "\n" + M.HANDOVER_NONE]
    lines = [ticket_line(t, now) for t in tickets]
    chunks = [lines[i:i + DIGEST_LIMIT] for i in range(0, len(lines), DIGEST_LIMIT)]
    parts = []
    for n, chunk in enumerate(chunks):
        top = [head, M.HANDOVER_COUNT.format(count=len(tickets))] if n == 0 else [
            M.HANDOVER_MORE.format(n=n + 1, parts=len(chunks))]
        tail = [M.HANDOVER_TAIL] if n == len(chunks) - 1 else []
        parts.append("\n".join(top + chunk + tail))
    return parts


def previous_shift(day: date, settings) -> tuple[datetime, datetime]:
    """The UTC span of the duty day before `day`."""
    return shift_start(day - timedelta(days=1), settings), shift_start(day, settings)
