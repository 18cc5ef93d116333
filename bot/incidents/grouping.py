"""Several similar reports, no incident yet: ONE proposal to the duty pair, not one notice each."""
from __future__ import annotations

from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import select, text
from sqlalchemy.orm import Session

from bot.db.models import Incident, IncidentReport
from bot.incidents import service as S
from bot.incidents import store
from bot.incidents import texts as T
from bot.incidents.matching import TOPICS
from bot.incidents.places import Place
from bot.tickets.notify import resident_label, staff_message

LOCK_KEY = 15_015  # PostgreSQL advisory lock: one transaction at a time decides about proposals


def record(session: Session, open_id: str, msg_key: str, text_: str, topic: str, place: Place,
           now: datetime) -> IncidentReport:
    """Remember an outage report nothing is linked to yet (a candidate for grouping)."""
    report = IncidentReport(incident_id=None, open_id=open_id, msg_key=msg_key, text=text_[:500], topic=topic,
                            building=place.building, unit=place.unit, at=now, state="candidate")
    session.add(report)
    session.flush()
    return report


def serialize(session: Session) -> None:
    """Two workers must not both propose the same event (SQLite already runs one writer at a time)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": LOCK_KEY})


def similar(session: Session, settings, report: IncidentReport, now: datetime) -> list[IncidentReport]:
    """Candidates of the same topic within the window, in the same building (or naming none)."""
    since = now - timedelta(minutes=settings.incidents.proposal_window_min)
    rows = session.scalars(select(IncidentReport).where(
        IncidentReport.state == "candidate", IncidentReport.incident_id.is_(None),
        IncidentReport.topic == report.topic, IncidentReport.at >= since).order_by(IncidentReport.at))
    here = Place(report.building, report.unit)
    return [r for r in rows if Place(r.building).covers(here) or here.covers(Place(r.building))]


def enough(session: Session, settings, report: IncidentReport, now: datetime) -> bool:
    """Enough distinct residents reported the same thing to propose one incident."""
    group = similar(session, settings, report, now)
    return len({r.open_id for r in group}) >= settings.incidents.proposal_reports


def propose(session: Session, services, report: IncidentReport, now: datetime) -> Incident | None:
    """Enough distinct residents reported the same thing: a proposed incident and one message."""
    settings = services.settings
    group = similar(session, settings, report, now)
    if len({r.open_id for r in group}) < settings.incidents.proposal_reports:
        return None
    place = _common_place(group)
    names = dict(place=place.label(), topic=TOPICS.get(report.topic, TOPICS["other"]))
    incident = S.create(session, "system", "", now, place=place, category=report.topic,
                        title=T.PROPOSAL_TITLE.format(**names), status="proposed", tz=settings.desk.timezone)
    S.adopt(session, incident, group, now)
    S.timeline(session, incident, "system", "proposed", "", now)
    _tell_duty(session, services, incident, group, names, now)
    return incident


def _common_place(group: list[IncidentReport]) -> Place:
    """The building most reports name (the whole community when none or several do)."""
    buildings = Counter(r.building for r in group if r.building)
    if len(buildings) != 1:
        return Place()
    return Place(next(iter(buildings)))


def _tell_duty(session: Session, services, incident: Incident, group, names: dict, now: datetime) -> None:
    settings = services.settings
    lines = [T.PROPOSAL_LINE.format(at=store.local(r.at, settings, T.SHORT_TIME),
                                    resident=resident_label(session, r.open_id), text=r.text[:40],
                                    ticket=T.PROPOSAL_TICKET.format(id=r.ticket_id) if r.ticket_id else "")
             for r in group]
    minutes = max(1, round((now - group[0].at).total_seconds() / 60))
    body = T.PROPOSAL.format(id=incident.id, minutes=minutes, n=len({r.open_id for r in group}),
                             lines="\n".join(lines), **names)
    people = list(services.duty.on_duty(session, now)) or list(services.duty.leads(session))
    for staff in {s.id: s for s in people}.values():
        staff_message(session, settings, staff, body, now, key=f"incident:{incident.id}:proposal:{staff.id}")
