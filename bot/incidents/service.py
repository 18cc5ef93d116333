"""What staff do to an incident: open, confirm, update, recover, close, dismiss, link and unlink.

Every change is one IncidentUpdate on the timeline; what residents must hear goes through
broadcast.fan_out in the same transaction.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import ConversationState, Incident, IncidentReport, IncidentUpdate, InboundMessage, Ticket
from bot.incidents import store
from bot.incidents import texts as T
from bot.incidents.broadcast import Broadcast, fan_out
from bot.incidents.matching import incident_score, topic_of_title
from bot.incidents.places import Place, parse_place
from bot.incidents.timeparse import expected_time
from bot.tickets.events import event

RATING_TTL = timedelta(days=3)
_TITLE_END = re.compile(r"[，,。；;！!\n]")
RECOVERED_WORDS = re.compile(r"^(已|已经)?(恢复|恢复正常|修复|修好|来水|来电|供暖|通水|通电|解决)")
CLOSE_WORDS = {"结束", "已结束", "关闭", "结单", "办结", "完结"}


class IncidentFinished(Exception):
    """The incident is closed or dismissed: it can no longer change."""


@dataclass
class Outcome:
    """What a staff action did (for the reply to staff and the console)."""

    incident: Incident
    broadcast: Broadcast = field(default_factory=Broadcast)
    linked: list[IncidentReport] = field(default_factory=list)
    tickets_closed: int = 0


def body_of(title: str, text: str) -> str:
    """The update without the title it starts with (the message already shows the title)."""
    rest = text[len(title):].lstrip("，,。；; ") if text.startswith(title) else ""
    return rest or text


def title_from(text: str) -> str:
    """The first clause of a staff announcement is its title."""
    head = _TITLE_END.split(text.strip(), maxsplit=1)[0].strip()
    return (head or text.strip())[:60]


def create(session: Session, author: str, text: str, now: datetime, *, place: Place | None = None,
           category: str | None = None, title: str | None = None, kind: str = "outage", status: str = "open",
           starts_at: datetime | None = None, ends_at: datetime | None = None, tz: str = "Asia/Shanghai") -> Incident:
    """A new incident row (nothing linked or sent yet)."""
    named, said = parse_place(text)
    place = place if place is not None else (named if said else Place())
    incident = Incident(kind=kind, status=status, title=title or title_from(text),
                        category=category or topic_of_title(text), building=place.building, unit=place.unit,
                        expected_at=expected_time(text, now, tz), starts_at=starts_at, ends_at=ends_at,
                        created_at=now, created_by=author, last_update="", confirmed_at=now if status == "open" else None)
    session.add(incident)
    session.flush()
    return incident


def timeline(session: Session, incident: Incident, author: str, kind: str, text: str, now: datetime) -> IncidentUpdate:
    update = IncidentUpdate(incident_id=incident.id, at=now, author=author, kind=kind, text=text,
                            status=incident.status, queued=0, unreachable=0)
    session.add(update)
    session.flush()
    return update


def publish(session: Session, settings, incident: Incident, author: str, kind: str, text: str,
            now: datetime) -> tuple[IncidentUpdate, Broadcast]:
    """Record an update on the timeline and queue it once to every resident in the audience."""
    if kind != "opened":
        incident.expected_at = expected_time(text, now, settings.desk.timezone) or incident.expected_at
    update = timeline(session, incident, author, kind, text, now)
    incident.last_update, incident.last_update_at = text, now
    incident.first_update_at = incident.first_update_at or now
    at = store.local(now, settings, T.SHORT_TIME)
    expect = (T.EXPECT_INLINE.format(at=store.local(incident.expected_at, settings))
              if incident.expected_at and kind in ("opened", "update") else "")
    note = {"opened": T.TICKET_MERGED, "recovered": T.TICKET_CLOSED, "closed": T.TICKET_CLOSED}.get(kind)

    def text_for(ticket_id: int | None) -> str:
        ticket = note.format(ticket=ticket_id) if note and ticket_id else ""
        return T.TO_AUDIENCE[kind].format(id=incident.id, title=incident.title, text=body_of(incident.title, text), at=at,
                                          expect=expect, ticket=ticket)

    result = fan_out(session, settings, incident, update, now, text_for)
    update.queued = result.queued
    return update, result


def link(session: Session, incident: Incident, open_id: str, now: datetime, *, msg_key: str, text: str,
         topic: str = "", place: Place = Place(), ticket_id: int | None = None) -> IncidentReport:
    """Add a resident's message to the incident (and so the resident to its audience)."""
    report = IncidentReport(incident_id=incident.id, open_id=open_id, msg_key=msg_key, text=text[:500],
                            topic=topic, building=place.building, unit=place.unit, at=now, state="linked",
                            ticket_id=ticket_id, linked_at=now)
    session.add(report)
    return report


def adopt(session: Session, incident: Incident, reports: list[IncidentReport], now: datetime) -> None:
    """Candidate reports join the incident; their tickets are found through the stored message."""
    keys = [r.msg_key for r in reports if r.ticket_id is None]
    tickets = dict(session.execute(select(InboundMessage.msg_key, InboundMessage.ticket_id)
                                   .where(InboundMessage.msg_key.in_(keys))).all()) if keys else {}
    for r in reports:
        r.incident_id, r.state, r.linked_at = incident.id, "linked", now
        r.ticket_id = r.ticket_id or tickets.get(r.msg_key)


def take_over_tickets(session: Session, incident: Incident, author: str, now: datetime) -> int:
    """Linked tickets stop their own response clocks: the incident is answered as one unit."""
    ids = {r.ticket_id for r in store.linked_reports(session, incident.id) if r.ticket_id and r.state == "linked"}
    count = 0
    for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(ids), Ticket.status.in_(("open", "answered")))):
        if ticket.waiting_since is not None or ticket.first_response_at is None:
            event(session, ticket, author, "incident_linked", now, incident=incident.id)
            ticket.waiting_since = None
            ticket.first_response_at = ticket.first_response_at or now
            count += 1
    return count


def finish_tickets(session: Session, incident: Incident, author: str, text: str, now: datetime) -> int:
    """Close every linked ticket with the incident's final word (the broadcast tells the resident)."""
    ids = {r.ticket_id for r in store.linked_reports(session, incident.id) if r.ticket_id and r.state == "linked"}
    closed = 0
    for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(ids), Ticket.status.in_(("open", "answered")))):
        event(session, ticket, author, "closed", now, incident=incident.id, text=text)
        ticket.status, ticket.closed_at, ticket.waiting_since = "closed", now, None
        ticket.last_answer, ticket.answered_at = text, now
        ticket.first_response_at = ticket.first_response_at or now
        closed += 1
    return closed


def ask_ratings(session: Session, incident: Incident, open_ids: list[str], now: datetime) -> None:
    """One rating per resident for the incident (their next 1-5 / 满意 reply)."""
    for start in range(0, len(open_ids), 500):
        chunk = open_ids[start:start + 500]
        session.execute(delete(ConversationState).where(ConversationState.open_id.in_(chunk),
                                                        ConversationState.kind == "rating"))
        session.add_all([ConversationState(open_id=o, kind="rating", data={"incident_id": incident.id},
                                           created_at=now, expires_at=now + RATING_TTL) for o in chunk])


def similar_unlinked(session: Session, settings, incident: Incident, now: datetime) -> list[IncidentReport]:
    """Candidate reports within the link window that match the incident by meaning and place."""
    since = now - timedelta(minutes=settings.incidents.link_window_min)
    rows = session.scalars(select(IncidentReport).where(IncidentReport.state == "candidate",
                                                        IncidentReport.incident_id.is_(None),
                                                        IncidentReport.at >= since))
    view, threshold = store.view_of(incident), settings.incidents.match_threshold
    return [r for r in rows if incident_score(view, r.text) >= threshold]
