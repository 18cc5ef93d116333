"""Reading incidents: which ones are live, who their audience is, what the latest word says."""
from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from bot.db.models import Incident, IncidentReport
from bot.incidents import texts as T
from bot.incidents.matching import TOPICS, IncidentView
from bot.incidents.places import Place

LIVE = ("proposed", "open")
REF_PREFIX = "#I"


def place_of(incident: Incident) -> Place:
    return Place(incident.building or "", incident.unit or "")


def view_of(incident: Incident) -> IncidentView:
    return IncidentView(incident.title, incident.category, place_of(incident))


def topic_name(incident: Incident) -> str:
    return TOPICS.get(incident.category, TOPICS["other"])


def status_name(incident: Incident, now: datetime) -> str:
    if incident.kind == "planned" and incident.status == "open" and incident.starts_at and now < incident.starts_at:
        return T.STATUS_NAMES["planned"]
    return T.STATUS_NAMES.get(incident.status, incident.status)


def local(at: datetime | None, settings, fmt: str = T.TIME_FORMAT) -> str:
    return at.astimezone(ZoneInfo(settings.desk.timezone)).strftime(fmt) if at else ""


def answering(session: Session, settings, now: datetime) -> list[Incident]:
    """Incidents that answer residents now: proposed or open (planned: until their end), or
    recovered a short while ago."""
    cfg = settings.incidents
    recent = now - timedelta(minutes=cfg.answer_after_recovery_min)
    planned_over = and_(Incident.kind == "planned", Incident.ends_at.is_not(None), Incident.ends_at <= now)
    q = (select(Incident)
         .where(or_(and_(Incident.status.in_(LIVE), ~planned_over),
                    and_(Incident.status == "recovered", Incident.recovered_at >= recent)))
         .order_by(Incident.id.desc()))
    return list(session.scalars(q))


def get(session: Session, incident_id: int, for_update: bool = False) -> Incident | None:
    q = select(Incident).where(Incident.id == incident_id)
    if for_update:
        q = q.with_for_update()
    return session.scalar(q)


def audience(session: Session, incident_id: int) -> list[tuple[str, int | None]]:
    """(open_id, linked ticket or None) once per resident linked to the incident."""
    q = (select(IncidentReport.open_id, func.min(IncidentReport.ticket_id))
         .where(IncidentReport.incident_id == incident_id, IncidentReport.state == "linked")
         .group_by(IncidentReport.open_id).order_by(func.min(IncidentReport.id)))
    return [(open_id, ticket_id) for open_id, ticket_id in session.execute(q)]


def audience_size(session: Session, incident_ids: list[int]) -> dict[int, int]:
    if not incident_ids:
        return {}
    q = (select(IncidentReport.incident_id, func.count(func.distinct(IncidentReport.open_id)))
         .where(IncidentReport.incident_id.in_(incident_ids), IncidentReport.state == "linked")
         .group_by(IncidentReport.incident_id))
    return dict(session.execute(q).all())


def linked_reports(session: Session, incident_id: int) -> list[IncidentReport]:
    q = (select(IncidentReport).where(IncidentReport.incident_id == incident_id)
         .order_by(IncidentReport.at, IncidentReport.id))
    return list(session.scalars(q))


def for_resident(session: Session, open_id: str, limit: int = 3) -> list[Incident]:
    """The incidents a resident follows, newest first (for 我的工单)."""
    ids = (select(IncidentReport.incident_id).where(IncidentReport.open_id == open_id,
                                                     IncidentReport.state == "linked",
                                                     IncidentReport.incident_id.is_not(None)))
    q = (select(Incident).where(Incident.id.in_(ids), Incident.status != "dismissed")
         .order_by(Incident.id.desc()).limit(limit))
    return list(session.scalars(q))
