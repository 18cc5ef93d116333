"""The daily report to the leads: yesterday's duty day in figures, sent once per duty day."""
from __future__ import annotations

import statistics
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import InboundMessage, Staff, SweepMark, Ticket, TicketEvent
from bot.domain import RESIDENT_KINDS
from bot.roster.store import duty_day
from bot.sweeps.escalation_steps import fmt_wait
from bot.tickets.notify import staff_message
from bot.sweeps.backlog import is_overdue
from bot.sweeps.handover import claim_mark, open_tickets, previous_shift, ticket_line
from bot.incidents.ledger import add_to_report as add_incident_figures, report_lines as incident_report_lines


@dataclass
class DailyFigures:
    """Figures for one duty day (shift change to shift change)."""

    day: date
    messages: int
    auto_answered: int
    opened: int
    closed: int
    median_first_response_min: float | None
    escalations: int
    ratings: int
    rating_avg: float | None
    open_now: int = 0  # the backlog when the report was made
    urgent_open: int = 0
    overdue_now: int = 0
    backlog: list[str] = field(default_factory=list)  # the open tickets, urgent and oldest first, with age
    escalated: list[str] = field(default_factory=list)  # tickets escalated during the day, and how far
    incidents: dict = field(default_factory=dict)  # issue 15: bot.incidents.ledger.day_figures

    def as_dict(self) -> dict:
        d = asdict(self)
        d["day"] = self.day.isoformat()
        return d


def figures(session: Session, settings, day: date) -> DailyFigures:
    """Compute the figures of duty day `day` from the database."""
    start, end = previous_shift(day + timedelta(days=1), settings)
    staff_ids = select(Staff.open_id).where(Staff.open_id.is_not(None))
    inbound = (select(func.count()).select_from(InboundMessage)
               .where(InboundMessage.received_at >= start, InboundMessage.received_at < end)
               .where(InboundMessage.kind.in_(RESIDENT_KINDS), InboundMessage.open_id.not_in(staff_ids)))
    messages = session.scalar(inbound) or 0
    auto = session.scalar(inbound.where(InboundMessage.decision == "answer")) or 0
    opened = _count(session, Ticket.created_at, start, end)
    closed = _count(session, Ticket.closed_at, start, end)
    responded = session.execute(select(Ticket.created_at, Ticket.first_response_at)
                                .where(Ticket.first_response_at >= start, Ticket.first_response_at < end)).all()
    waits = [(r - c).total_seconds() / 60 for c, r in responded]
    escalations = session.scalar(select(func.count()).select_from(TicketEvent)
                                 .where(TicketEvent.kind == "escalation", TicketEvent.at >= start,
                                        TicketEvent.at < end)) or 0
    # Ratings carry no timestamp of their own: count tickets answered during the day that were rated.
    rated = session.scalars(select(Ticket.rating).where(Ticket.rating.is_not(None), Ticket.answered_at >= start,
                                                        Ticket.answered_at < end)).all()
    return DailyFigures(day, messages, auto, opened, closed,
                        round(statistics.median(waits), 1) if waits else None, escalations,
                        len(rated), round(sum(rated) / len(rated), 2) if rated else None)


BACKLOG_SHOWN = 10


def add_backlog(session: Session, settings, f: DailyFigures, now: datetime) -> DailyFigures:
    """The backlog as of `now` and the day's escalations, so nothing open is invisible in the report."""
    tickets = sorted(open_tickets(session), key=lambda t: (t.priority != "urgent", t.waiting_since or t.created_at))
    f.open_now, f.urgent_open = len(tickets), sum(t.priority == "urgent" for t in tickets)
    f.overdue_now = sum(is_overdue(settings, t, now) for t in tickets)
    f.backlog = [(M.OVERDUE_MARK if is_overdue(settings, t, now) else "") + ticket_line(t, now)
                 for t in tickets[:BACKLOG_SHOWN]]
    start, end = previous_shift(f.day + timedelta(days=1), settings)
    rows = session.execute(select(TicketEvent.ticket_id, TicketEvent.data).where(
        TicketEvent.kind == "escalation", TicketEvent.at >= start, TicketEvent.at < end).order_by(TicketEvent.id)).all()
    top: dict[int, tuple[int, str, int]] = {}  # ticket -> (highest step, its action, escalations)
    for tid, data in rows:
        step, action, n = top.get(tid, (-1, "", 0))
        if data.get("step", 0) >= step:
            step, action = data.get("step", 0), data.get("action", "")
        top[tid] = (step, action, n + 1)
    f.escalated = [M.REPORT_ESCALATED_ITEM.format(id=tid, action=M.ACTION_NAMES.get(a, a), n=n)
                   for tid, (_, a, n) in sorted(top.items())]
    return f


def _count(session: Session, column, start: datetime, end: datetime) -> int:
    return session.scalar(select(func.count()).where(column >= start, column < end)) or 0


def render(f: DailyFigures, desk_name: str, shift: str = "08:30") -> str:
    """The report text for the leads, in Chinese."""
    share = f"{f.auto_answered / f.messages:.0%}" if f.messages else M.REPORT_NO_SHARE
    median = fmt_wait_min(f.median_first_response_min)
    rating = M.REPORT_RATING.format(count=f.ratings, avg=f.rating_avg) if f.ratings else M.REPORT_NONE
    end = f.day + timedelta(days=1)
    return "\n".join([
        M.REPORT_HEAD.format(desk=desk_name, month=f.day.month, day=f.day.day, shift=shift, end_month=end.month,
                             end_day=end.day),
        M.REPORT_MESSAGES.format(messages=f.messages, auto=f.auto_answered, share=share),
        M.REPORT_TICKETS.format(opened=f.opened, closed=f.closed),
        M.REPORT_MEDIAN.format(median=median),
        M.REPORT_ESCALATIONS.format(escalations=f.escalations, rating=rating),
        *incident_report_lines(f.incidents),
        *_backlog_lines(f),
    ])


def _backlog_lines(f: DailyFigures) -> list[str]:
    """The report's backlog and escalation sections."""
    lines = [M.REPORT_BACKLOG.format(open=f.open_now, urgent=f.urgent_open, overdue=f.overdue_now)
             + ("：" if f.backlog else "。")]
    lines += f.backlog
    if f.open_now > len(f.backlog):
        lines.append(M.REPORT_BACKLOG_MORE.format(more=f.open_now - len(f.backlog)))
    if f.escalated:
        more = M.REPORT_ESCALATED_MORE.format(count=len(f.escalated)) if len(f.escalated) > BACKLOG_SHOWN else ""
        lines.append(M.REPORT_ESCALATED.format(items=M.LIST_SEPARATOR.join(f.escalated[:BACKLOG_SHOWN]), more=more))
    return lines


def fmt_wait_min(minutes: float | None) -> str:
    """A median response time in Chinese."""
    if minutes is None:
        return M.REPORT_NONE
    return fmt_wait(timedelta(minutes=minutes)) if minutes >= 1 else M.WAIT_UNDER_A_MINUTE


CATCH_UP_DAYS = 7  # reports missed while no scheduler ran are still sent, up to a week back


def days_to_report(session: Session, yesterday: date) -> list[date]:
    """Yesterday, plus any day since the last report sent (a scheduler outage misses nothing)."""
    last = session.scalar(select(SweepMark.key).where(SweepMark.key.like("report:%"))
                          .where(SweepMark.key <= f"report:{yesterday.isoformat()}")
                          .order_by(SweepMark.key.desc()).limit(1))
    first = yesterday
    if last is not None:
        first = max(date.fromisoformat(last.split(":", 1)[1]) + timedelta(days=1),
                    yesterday - timedelta(days=CATCH_UP_DAYS - 1))
    return [first + timedelta(days=i) for i in range((yesterday - first).days + 1)]


def report_due(session: Session, services, now: datetime, by: str = "") -> list[DailyFigures]:
    """Once per duty day: send the previous duty day's report (and any missed ones) to every lead."""
    settings = services.settings
    yesterday = duty_day(now, settings) - timedelta(days=1)
    sent = []
    for day in days_to_report(session, yesterday):
        if not claim_mark(session, f"report:{day.isoformat()}", now):
            continue
        f = add_backlog(session, settings, figures(session, settings, day), now)
        add_incident_figures(session, settings, f)
        text = render(f, settings.desk.name, settings.roster.shift_change)
        for lead in services.duty.leads(session):
            staff_message(session, settings, lead, text, now, f"report:{day.isoformat()}:{lead.id}")
        sent.append(f)
    return sent
