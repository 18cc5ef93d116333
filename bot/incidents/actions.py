"""Staff actions on incidents, shared by the WeChat commands and the console."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from bot import tickets
from bot.db.models import Incident, IncidentReport, Ticket
from bot.domain import Inbound
from bot.incidents import service as S
from bot.incidents import store
from bot.incidents import texts as T
from bot.incidents.matching import topic_of_title
from bot.incidents.places import Place, parse_place
from bot.incidents.service import IncidentFinished, Outcome
from bot.texts import NOBODY
from bot.tickets.core import restart_clock
from bot.tickets.events import event
from bot.tickets.notify import to_resident
from knowledge_base.router import route

FINISHED = ("closed", "dismissed")


def _require_live(incident: Incident) -> None:
    if incident.status in FINISHED:
        raise IncidentFinished(incident.status)


def announce(session: Session, services, author: str, text: str, now: datetime, **fields) -> Outcome:
    """通报 …: a new incident (or the pending proposal it describes), linking similar open reports."""
    settings = services.settings
    proposal = _matching_proposal(session, settings, text, fields.get("place"), now)
    if proposal is not None:
        return confirm(session, services, proposal, author, text, now)
    incident = S.create(session, author, text, now, tz=settings.desk.timezone, **fields)
    return _go_live(session, services, incident, author, text, now)


def _matching_proposal(session: Session, settings, text: str, place: Place | None, now: datetime):
    named, said = parse_place(text)
    place = place if place is not None else (named if said else None)
    category = topic_of_title(text)
    for incident in store.answering(session, settings, now):
        if incident.status != "proposed" or incident.category != category:
            continue
        if place is None or store.place_of(incident).covers(place) or place.covers(store.place_of(incident)):
            return incident
    return None


def _go_live(session: Session, services, incident: Incident, author: str, text: str, now: datetime) -> Outcome:
    outcome = Outcome(incident)
    outcome.linked = S.similar_unlinked(session, services.settings, incident, now)
    S.adopt(session, incident, outcome.linked, now)
    session.flush()
    S.take_over_tickets(session, incident, author, now)
    _, outcome.broadcast = S.publish(session, services.settings, incident, author, "opened", text, now)
    return outcome


def confirm(session: Session, services, incident: Incident, author: str, text: str | None, now: datetime) -> Outcome:
    """确认 #I3: a proposed incident goes live; everyone who reported it hears the first word."""
    if incident.status != "proposed":
        raise IncidentFinished(incident.status)
    place, topic = store.place_of(incident).label(), store.topic_name(incident)
    if text:  # staff's own words name the event (and its place) better than the generated proposal
        incident.title = S.title_from(text)
        named, said = parse_place(text)
        if said:
            incident.building, incident.unit = named.building, named.unit
    text = text or T.CONFIRM_DEFAULT.format(place=place, topic=topic)
    incident.status, incident.confirmed_at, incident.created_by = "open", now, author
    incident.expected_at = S.expected_time(text, now, services.settings.desk.timezone)
    return _go_live(session, services, incident, author, text, now)


def update(session: Session, services, incident: Incident, author: str, text: str, now: datetime) -> Outcome:
    """通报 #I3 …: a progress update, a recovery (已恢复…) or the end (结束)."""
    _require_live(incident)
    if incident.status == "proposed":
        return confirm(session, services, incident, author, text, now)
    if text.strip() in S.CLOSE_WORDS:
        return close(session, services, incident, author, text, now)
    if S.RECOVERED_WORDS.match(text.strip()) and incident.status == "open":
        return recover(session, services, incident, author, text, now)
    outcome = Outcome(incident)
    _, outcome.broadcast = S.publish(session, services.settings, incident, author, "update", text, now)
    return outcome


def recover(session: Session, services, incident: Incident, author: str, text: str, now: datetime) -> Outcome:
    """已恢复: everyone is told, linked tickets close with this word, one rating is asked."""
    incident.status, incident.recovered_at = "recovered", now
    outcome = Outcome(incident)
    outcome.tickets_closed = S.finish_tickets(session, incident, author, text, now)
    _, outcome.broadcast = S.publish(session, services.settings, incident, author, "recovered", text, now)
    told = [o for o, _ in store.audience(session, incident.id) if o not in {u for u, _ in outcome.broadcast.unreachable}]
    S.ask_ratings(session, incident, told, now)
    return outcome


def close(session: Session, services, incident: Incident, author: str, text: str, now: datetime) -> Outcome:
    """结束: stops answering; residents hear it only if they were not told of a recovery."""
    was = incident.status
    incident.status, incident.closed_at = "closed", now
    outcome = Outcome(incident)
    if was == "recovered":
        S.timeline(session, incident, author, "closed", text, now)
        return outcome
    outcome.tickets_closed = S.finish_tickets(session, incident, author, text, now)
    final = text if text.strip() not in S.CLOSE_WORDS else T.STATUS_NAMES["closed"]
    _, outcome.broadcast = S.publish(session, services.settings, incident, author, "closed", final, now)
    return outcome


def dismiss(session: Session, services, incident: Incident, author: str, now: datetime) -> list[int]:
    """#I3 忽略: not one event after all; every held report becomes its own ticket (nothing is lost)."""
    if incident.status != "proposed":
        raise IncidentFinished(incident.status)
    incident.status, incident.closed_at = "dismissed", now
    S.timeline(session, incident, author, "dismissed", "", now)
    opened = []
    for report in store.linked_reports(session, incident.id):
        report.state = "unlinked"
        if report.ticket_id is None:
            opened.append(_ticket_for(session, services, report, now))
    return opened


def _ticket_for(session: Session, services, report: IncidentReport, now: datetime) -> int:
    """Open the ticket a held report would have been, and tell its resident the number."""
    msg = Inbound(open_id=report.open_id, account="", msg_key=report.msg_key, kind="text", at=report.at, text=report.text)
    ticket = tickets.open_ticket(session, services, msg, route(report.text, None, services.settings.routing),
                                 now, reason="incident_dismissed")
    report.ticket_id = ticket.id
    assignee = ticket.assignee.name if ticket.assignee else NOBODY
    to_resident(session, ticket, T.DISMISSED_TO_RESIDENT.format(text=report.text[:30], ticket=ticket.id,
                                                                 assignee=assignee), now)
    return ticket.id


def unlink(session: Session, services, incident: Incident, ticket_id: int, author: str, now: datetime) -> Ticket | None:
    """通报 #I3 移除 #12: the ticket goes back to ordinary work and its resident leaves the audience."""
    ticket = session.get(Ticket, ticket_id)
    reports = [r for r in store.linked_reports(session, incident.id)
               if r.state == "linked" and ticket is not None and r.open_id == ticket.resident_open_id]
    if not reports:
        return None
    for r in reports:
        r.state = "unlinked"
    S.timeline(session, incident, author, "unlinked", f"#{ticket_id}", now)
    if ticket.status in ("open", "answered"):
        event(session, ticket, author, "incident_unlinked", now, incident=incident.id)
        restart_clock(ticket, now)
    return ticket
