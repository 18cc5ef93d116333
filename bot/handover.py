"""Shift-change handover: open tickets pass to the incoming pair, who get a digest."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.db.models import Staff, SweepMark, Ticket, TicketEvent
from bot.duty_roster import duty_day, shift_start
from bot.escalation_steps import fmt_wait, least_loaded, notify_staff, short

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


def handover_due(session: Session, services, now: datetime, by: str = "") -> Handover | None:
    """Once per duty day, after its shift change: move tickets and send the digest."""
    settings = services.settings
    day = duty_day(now, settings)
    if not claim_mark(session, f"handover:{day.isoformat()}", now):
        return None
    incoming = services.duty.on_duty(session, now)
    result = Handover(day, [s.name for s in incoming])
    tickets = open_tickets(session)
    result.open_tickets = len(tickets)
    if not incoming:
        log.error("handover for %s: nobody on duty", day)
        return result
    for ticket in tickets:
        if ticket.assignee_id in {s.id for s in incoming}:
            continue
        result.moved.append(_move(session, ticket, incoming, day, now, by))
    for person in incoming:
        notify_staff(session, settings, person, digest(person, incoming, tickets, day, now),
                     now, f"handover:{day.isoformat()}:{person.id}")
    return result


def _move(session: Session, ticket: Ticket, incoming: list[Staff], day: date, now: datetime, by: str):
    """Reassign one ticket to the less loaded incoming staff member, as a TicketEvent."""
    before = ticket.assignee.name if ticket.assignee else ""
    target = least_loaded(session, incoming)
    ticket.assignee_id, ticket.assignee = target.id, target
    session.add(TicketEvent(ticket_id=ticket.id, at=now, actor="scheduler", kind="handover",
                            data={"from": before, "to": target.name, "day": day.isoformat(), "by": by},
                            dedupe_key=f"handover:{day.isoformat()}:{ticket.id}"))
    session.flush()  # the next least_loaded() must count this ticket
    return ticket.id, before, target.name


def digest(person: Staff, pair: list[Staff], tickets: list[Ticket], day: date, now: datetime) -> str:
    """The incoming staff member's digest: open tickets oldest first, urgent marked."""
    partner = "、".join(s.name for s in pair if s.id != person.id) or "（无）"
    head = f"【交班】{person.name}您好，{day.month}月{day.day}日的值班由您和{partner}负责，辛苦了。"
    if not tickets:
        return head + "\n目前没有待处理的工单。"
    lines = [head, f"目前有 {len(tickets)} 件待处理工单（按等待时间从早到晚）："]
    for t in tickets[:DIGEST_LIMIT]:
        mark = "【紧急】" if t.priority == "urgent" else ""
        who = t.assignee.name if t.assignee else "未分配"
        waited = fmt_wait(now - (t.waiting_since or t.created_at))
        lines.append(f"{mark}#{t.id} {short(t.subject, 30)}（{who}，已等{waited}）")
    if len(tickets) > DIGEST_LIMIT:
        lines.append(f"……另有 {len(tickets) - DIGEST_LIMIT} 件，发送“待办”查看。")
    lines.append("答复请发送“#工单号 回复内容”，接手请发送“接单 工单号”。")
    return "\n".join(lines)


def previous_shift(day: date, settings) -> tuple[datetime, datetime]:
    """The UTC span of the duty day before `day`."""
    return shift_start(day - timedelta(days=1), settings), shift_start(day, settings)
