"""Escalation actions (remind, reassign, notify on-duty staff or leads); their texts are in bot.texts."""
from __future__ import annotations

import logging
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from bot.config import EscalationStep
from bot.db.models import Staff, Ticket, TicketEvent
from bot.outbox.staff_channels import usable_channels
from bot.staff import StaffDirectory
from bot import texts as M
from bot.texts import HOW_TO_ANSWER
from bot.tickets.core import least_loaded
from bot.tickets.notify import resident_label, short, staff_message

log = logging.getLogger("linli.escalation")


def fmt_wait(delta: timedelta) -> str:
    """A waiting time in Chinese: '不到1分钟', '15分钟', '1小时5分钟', '2天3小时'."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes == 0:
        return M.WAIT_UNDER_A_MINUTE
    days, rest = divmod(minutes, 1440)
    hours, mins = divmod(rest, 60)
    if days:
        return M.WAIT_DAYS.format(days) + (M.WAIT_HOURS.format(hours) if hours else "")
    if hours:
        return M.WAIT_HOURS.format(hours) + (M.WAIT_MINUTES.format(mins) if mins else "")
    return M.WAIT_MINUTES.format(mins)


def _unique(people) -> list[Staff]:
    seen, out = set(), []
    for p in people:
        if p is not None and p.id not in seen:
            seen.add(p.id)
            out.append(p)
    return out


def _above(session, duty, chased: list[Staff], settings) -> list[Staff]:
    """The leads to tell, never someone who is being chased; when no lead is left, the admins who can
    be reached, else every reachable colleague."""
    ids = {s.id for s in chased}
    leads = [s for s in duty.leads(session) if s.id not in ids]
    if leads:
        return leads
    others = [s for s in StaffDirectory().active(session) if s.id not in ids and usable_channels(settings, s)]
    return [s for s in others if s.role == "admin"] or others


def _recipients(session, duty, ticket: Ticket, action: str, now, settings) -> tuple[list[Staff], Staff | None]:
    """Who hears about this step, and the new assignee when the step reassigns."""
    on_duty = duty.on_duty(session, now) or duty.leads(session)  # nobody on duty: the leads must know
    current = [ticket.assignee] if ticket.assignee else []
    if action == "remind_assignee":
        return current or on_duty, None
    if action == "reassign_other":
        other = least_loaded(session, [s for s in on_duty if s.id != ticket.assignee_id], now)
        return ([other], other) if other else (current or on_duty, None)
    if action == "notify_on_duty":  # an urgent ticket also stays with the duty pair after a transfer
        return _unique(on_duty + current), None
    chased = _unique(current + (on_duty if ticket.priority == "urgent" else []))
    if action == "notify_all_staff":
        return _unique(StaffDirectory().active(session)), None
    return _above(session, duty, chased, settings), None


def message(ticket: Ticket, action: str, n: int, waited: str, previous: str, fresh: bool = False,
            resident: str = "", clock: str = "ack") -> str:
    """The staff notification for one step, in polite Chinese.

    `fresh`: the clock has just (re)started, i.e. an urgent ticket's resident just wrote again
    (the alerts at opening come from the ticket service). `resident`: who and where, for urgent steps.
    """
    news = (M.ESC_NEWS_FOLLOWUP if fresh else M.ESC_NEWS_WAITED).format(id=ticket.id, waited=waited)
    fields = dict(id=ticket.id, priority=M.PRIORITY_NAMES.get(ticket.priority, ticket.priority), waited=waited,
                  news=news, holder=previous or M.ESC_NO_HOLDER, again=M.ESC_AGAIN.format(n=n + 1) if n else "",
                  question=M.ESC_QUESTION.format(subject=short(ticket.subject))
                  + (M.ESC_RESIDENT.format(resident=resident) if resident else ""),
                  how=HOW_TO_ANSWER.format(id=ticket.id))
    return _step_text(action, clock, fresh).format(**fields)


def _step_text(action: str, clock: str, fresh: bool) -> str:
    """The text of one escalation step (bot.texts), by its action."""
    if action == "remind_assignee":
        return M.ESC_RESOLUTION if clock == "resolution" else M.ESC_REMIND
    if action == "reassign_other":
        return M.ESC_REASSIGN
    if action == "notify_on_duty":
        return M.ESC_ON_DUTY
    if action == "notify_all_staff":
        return M.ESC_ALL_STAFF
    return M.ESC_LEAD_FOLLOWUP if fresh else M.ESC_LEAD


def take_step(session: Session, services, ticket: Ticket, where: tuple[int, int, EscalationStep],
              now: datetime, key: str, by: str = "", duty=None) -> list[str]:
    """Record the step as a TicketEvent (unique key) and queue its messages; returns recipients."""
    index, n, step = where
    previous = ticket.assignee.name if ticket.assignee else ""
    recipients, new_assignee = _recipients(session, duty or services.duty, ticket, step.action, now,
                                            services.settings)
    waited = fmt_wait(now - ticket.waiting_since)
    data = {"step": index, "n": n, "action": step.action, "to": [s.name for s in recipients],
            "waited_min": int((now - ticket.waiting_since).total_seconds() // 60), "by": by}
    if new_assignee is not None:
        data["from"] = previous
        ticket.assignee_id, ticket.assignee = new_assignee.id, new_assignee
    if covered_by_opening(ticket, step, n):
        data["covered_by"] = "opening"  # the ticket service alerted everyone when it opened the ticket
        recipients = []
    session.add(TicketEvent(ticket_id=ticket.id, at=now, actor="scheduler", kind="escalation",
                            data=data, dedupe_key=key))
    session.flush()  # a concurrent sweep's duplicate fails here, before any message is queued
    resident = resident_label(session, ticket.resident_open_id) if ticket.priority == "urgent" else ""
    text = message(ticket, step.action, n, waited, previous, fresh=data["waited_min"] < 1, resident=resident,
                   clock=step.clock)
    for staff in recipients:
        staff_message(session, services.settings, staff, text, now, f"{key}@{staff.id}", ticket.id)
    ticket.escalation_level = max(ticket.escalation_level or 0, index + 1)
    return [s.name for s in recipients]


def covered_by_opening(ticket: Ticket, step: EscalationStep, n: int) -> bool:
    """An urgent ticket's immediate alerts were sent by the ticket service when it opened the ticket.

    Only on the first response clock: after a follow-up the immediate steps alert everyone again.
    """
    return (ticket.priority == "urgent" and step.after_min == 0 and n == 0
            and step.action in ("notify_on_duty", "notify_lead") and ticket.waiting_since == ticket.created_at)
