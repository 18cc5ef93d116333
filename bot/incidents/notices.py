"""Residents' side: an open incident answers matching messages first, and reports are grouped."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Incident, Resident
from bot.incidents import grouping, service, store
from bot.incidents import texts as T
from bot.incidents.matching import TOPICS, incident_score, topic_of
from bot.incidents.places import Place, from_resident, parse_place

_STILL = re.compile(r"还|仍|依然|又|怎么还|还是")  # "still broken" after a recovery is new work


@dataclass(frozen=True)
class Found:
    """What the resident-side check decided: an incident to answer with, or a candidate report."""

    incident: Incident | None
    topic: str | None
    place: Place
    score: float = 0.0


def find(session: Session, settings, open_id: str, text: str, now: datetime) -> Found | None:
    """The best live incident for this message, or an outage report with nothing to join."""
    live = store.answering(session, settings, now)
    topic = topic_of(text)
    if not live and topic is None:
        return None
    place, said = parse_place(text)
    home = _home(session, open_id) if live and not said else None
    best, score = None, 0.0
    for incident in live:
        if incident.status == "recovered" and _STILL.search(text):
            continue
        s = incident_score(store.view_of(incident), text, home)
        if s > score:
            best, score = incident, s
    if best is not None and score >= settings.incidents.match_threshold:
        return Found(best, topic, place, score)
    return Found(None, topic, place) if topic else None


def _home(session: Session, open_id: str) -> Place | None:
    row = session.execute(select(Resident.building, Resident.unit).where(Resident.open_id == open_id)).first()
    return from_resident(row[0] or "", row[1] or "") if row and row[0] else None


def answer(session: Session, services, msg, found: Found, now: datetime) -> str | None:
    """Link the message and return the passive reply; None when the pipeline should go on."""
    incident = found.incident
    if incident is None:
        report = grouping.record(session, msg.open_id, msg.msg_key, msg.text, found.topic, found.place, now)
        if not grouping.enough(session, services.settings, report, now):
            return None  # not (yet) an event: the FAQ or a ticket takes it (no lock held meanwhile)
        grouping.serialize(session)  # only now: the lock lasts until this short transaction commits
        incident = _live_after_lock(session, services.settings, msg.text, now)
        if incident is None:
            incident = grouping.propose(session, services, report, now)
            if incident is None:
                return None
        else:
            service.adopt(session, incident, [report], now)
    else:
        service.link(session, incident, msg.open_id, now, msg_key=msg.msg_key, text=msg.text,
                     topic=found.topic or "", place=found.place)
    return reply_for(incident, services.settings, now)


def _live_after_lock(session: Session, settings, text: str, now: datetime) -> Incident | None:
    """Another worker may have proposed or opened the incident while we waited for the lock."""
    threshold = settings.incidents.match_threshold
    for incident in store.answering(session, settings, now):
        if incident.status != "recovered" and incident_score(store.view_of(incident), text) >= threshold:
            return incident
    return None


def reply_for(incident: Incident, settings, now: datetime) -> str:
    """The latest word on an incident, as a resident reads it."""
    place, topic = store.place_of(incident).label(), TOPICS.get(incident.category, TOPICS["other"])
    if incident.status == "proposed":
        return T.PROPOSED_REPLY.format(place=place, topic=topic, phone=settings.desk.duty_phone)
    fmt = dict(id=incident.id, title=incident.title, update=service.body_of(incident.title, incident.last_update or incident.title),
               at=store.local(incident.recovered_at or incident.last_update_at, settings))
    if incident.status == "recovered":
        return T.RECOVERED_REPLY.format(**fmt)
    if incident.kind == "planned":
        return T.PLANNED_REPLY.format(start=store.local(incident.starts_at, settings),
                                      end=store.local(incident.ends_at, settings), **fmt)
    expect = T.EXPECT.format(at=store.local(incident.expected_at, settings)) if incident.expected_at else ""
    return T.LATEST.format(expect=expect, **fmt)


def my_incidents(session: Session, settings, open_id: str, now: datetime) -> str:
    """Lines for 我的工单: the incidents this resident follows."""
    rows = store.for_resident(session, open_id)
    if not rows:
        return ""
    lines = [T.MY_INCIDENT_LINE.format(id=i.id, title=i.title, status=store.status_name(i, now),
                                       at=store.local(i.last_update_at or i.created_at, settings))
             for i in rows]
    return "\n".join([T.MY_INCIDENTS, *lines])
