"""The escalation sweep: a pure function of the tickets' response clocks and the time now."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.config import EscalationStep
from bot.db.models import Ticket, TicketEvent
from bot.incidents.sweep import incident_sweep
from bot.sweeps.escalation_steps import covered_by_opening, take_step
from bot.sweeps.quiet import active_minutes, in_quiet_hours, quiet_priority

log = logging.getLogger("linli.escalation")



@dataclass
class Escalation:
    """One ladder step taken for one ticket (what the sweep did)."""

    ticket_id: int
    step: int
    n: int
    action: str
    recipients: list[str] = field(default_factory=list)
    key: str = ""
    covered: bool = False  # recorded only: the ticket service sent these alerts at opening


def occurrences(step: EscalationStep) -> list[int]:
    """Minutes after the clock start at which this step fires (first, then repetitions)."""
    times = [step.after_min]
    if step.repeat_every_min:
        times += [step.after_min + k * step.repeat_every_min for k in range(1, step.repeat_times + 1)]
    return times


def occurrence_at(step: EscalationStep, n: int) -> int:
    """Minutes after the clock start at which repetition n of this step falls."""
    return step.after_min + n * (step.repeat_every_min or 0)


def latest_due(step: EscalationStep, waited_min: float) -> int | None:
    """Index of the latest repetition due after waiting `waited_min` (None if none yet)."""
    if step.until_ack and step.repeat_every_min:  # repeats for as long as nobody acknowledges
        return None if waited_min < step.after_min else int((waited_min - step.after_min) // step.repeat_every_min)
    due = [n for n, at in enumerate(occurrences(step)) if at <= waited_min]
    return due[-1] if due else None


def acknowledged_at(session: Session) -> dict[int, datetime]:
    """When each waiting ticket was last acknowledged (接单 or an answer) after its last transfer.

    A transfer hands the ticket to someone who has not acknowledged it yet: the ack clock resumes.
    """
    q = (select(TicketEvent.ticket_id, TicketEvent.kind, TicketEvent.at).join(Ticket, Ticket.id == TicketEvent.ticket_id)
         .where(Ticket.waiting_since.is_not(None), TicketEvent.kind.in_(("taken", "answered", "asked", "transferred")))
         .order_by(TicketEvent.id))
    acked: dict[int, datetime] = {}
    for ticket_id, kind, at in session.execute(q):
        if kind == "transferred":
            acked.pop(ticket_id, None)
        else:
            acked[ticket_id] = at
    return acked


def is_acknowledged(ticket: Ticket, acked: dict[int, datetime]) -> bool:
    """True when someone took or answered the ticket since its response clock started."""
    at = acked.get(ticket.id)
    return at is not None and at >= ticket.waiting_since


def ladder(settings, priority: str) -> list[EscalationStep]:
    """The configured steps for a priority (normal's ladder for an unknown priority)."""
    return list(getattr(settings.escalation, priority, None) or settings.escalation.normal)


def waiting_tickets(session: Session) -> list[Ticket]:
    """Tickets whose response clock runs (the ticket service's waiting_since contract)."""
    q = (select(Ticket).where(Ticket.waiting_since.is_not(None))
         .where(Ticket.status.not_in(("closed", "cancelled"))).order_by(Ticket.waiting_since, Ticket.id))
    return list(session.scalars(q))


def taken_keys(session: Session) -> set[str]:
    """Escalation keys already recorded for tickets whose clock runs (one query per sweep)."""
    q = (select(TicketEvent.dedupe_key).join(Ticket, Ticket.id == TicketEvent.ticket_id)
         .where(TicketEvent.kind == "escalation", Ticket.waiting_since.is_not(None)))
    return set(session.scalars(q))


class SweepDuty:
    """The duty provider, asked once per sweep (the roster does not change within a sweep)."""

    def __init__(self, duty):
        self.duty, self._on, self._leads = duty, {}, None

    def on_duty(self, session: Session, at: datetime) -> list:
        if at not in self._on:
            self._on[at] = self.duty.on_duty(session, at)
        return list(self._on[at])

    def leads(self, session: Session) -> list:
        if self._leads is None:
            self._leads = self.duty.leads(session)
        return list(self._leads)


def escalate_due(session: Session, services, now: datetime, by: str = "") -> list[Escalation]:
    """Take every ladder step that is due and not yet taken; safe to run any number of times.

    `by` names the scheduler process (stored on the event) so operators can see who acted.
    """
    done: list[Escalation] = []
    settings = services.settings
    incident_sweep(session, services, now)  # issue 15: an incident is chased as one unit, not per linked ticket
    taken, duty, acked = taken_keys(session), SweepDuty(services.duty), acknowledged_at(session)
    for ticket in waiting_tickets(session):
        quiet = quiet_priority(session, ticket) if settings.escalation.quiet_hours is not None else ticket.priority
        if in_quiet_hours(settings, quiet, now):
            continue
        # The ladder's clock does not run in quiet hours: the morning does not fire a night's steps at once.
        waited = active_minutes(settings, quiet, ticket.waiting_since, now)
        clock, is_acked = ticket.waiting_since.isoformat(), is_acknowledged(ticket, acked)
        acked_min = active_minutes(settings, quiet, ticket.waiting_since, acked[ticket.id]) if is_acked else 0
        for index, step in enumerate(ladder(settings, ticket.priority)):
            n = latest_due(step, waited)
            # ack steps chase until someone acknowledges; resolution steps then chase the answer
            if n is None or is_acked != (step.clock == "resolution"):
                continue
            if is_acked and occurrence_at(step, n) < acked_min:
                continue  # due before 接单: the person who just took it is not reminded retroactively
            key = f"esc:{ticket.id}:{clock}:{index}:{n}"
            if key in taken:
                continue
            covered = covered_by_opening(ticket, step, n)
            try:
                with session.begin_nested():
                    action = take_step(session, services, ticket, (index, n, step), now, key, by, duty)
            except IntegrityError:
                log.info("escalation %s taken concurrently by another sweep", key)
                session.expire(ticket)
                continue
            done.append(Escalation(ticket.id, index, n, step.action, action, key, covered))
    return done
