"""The incident sweep (run with the escalation sweep): an incident is chased as ONE unit.

One reminder to the duty pair when an incident's expected time has passed without a word to
residents (its linked tickets stopped their own clocks when it went live, so there is no storm of
per-ticket reminders); planned notices end at their end time; recovered incidents stop answering
after answer_after_recovery_min. Idempotent: the reminder's outbox key is unique.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Incident
from bot.incidents import service, store
from bot.incidents import texts as T
from bot.tickets.notify import staff_message


def incident_sweep(session: Session, services, now: datetime) -> list[str]:
    """What the sweep did, one line per incident touched."""
    done = []
    for incident in session.scalars(select(Incident).where(Incident.status.in_(("open", "recovered")))):
        if incident.kind == "planned" and incident.ends_at and incident.ends_at <= now and incident.status == "open":
            _finish(session, incident, incident.ends_at)
            done.append(f"#I{incident.id} planned window over")
        elif incident.status == "recovered" and _recovery_over(services.settings, incident, now):
            _finish(session, incident, now)
            done.append(f"#I{incident.id} closed after recovery")
        elif _overdue(services.settings, incident, now) and _remind(session, services, incident, now):
            done.append(f"#I{incident.id} reminded")
    return done


def _finish(session: Session, incident: Incident, at: datetime) -> None:
    incident.status, incident.closed_at = "closed", at
    service.timeline(session, incident, "system", "closed", "", at)


def _recovery_over(settings, incident: Incident, now: datetime) -> bool:
    return now - incident.recovered_at >= timedelta(minutes=settings.incidents.answer_after_recovery_min)


def _overdue(settings, incident: Incident, now: datetime) -> bool:
    if incident.status != "open" or incident.kind != "outage" or incident.expected_at is None:
        return False
    late = now - incident.expected_at >= timedelta(minutes=settings.incidents.remind_after_expected_min)
    return late and (incident.last_update_at is None or incident.last_update_at < incident.expected_at)


def _remind(session: Session, services, incident: Incident, now: datetime) -> bool:
    settings = services.settings
    minutes = int((now - incident.expected_at).total_seconds() // 60)
    text = T.REMIND_EXPECTED.format(id=incident.id, title=incident.title, minutes=minutes,
                                    expected=store.local(incident.expected_at, settings, T.SHORT_TIME),
                                    n=len(store.audience(session, incident.id)))
    people = list(services.duty.on_duty(session, now)) or list(services.duty.leads(session))
    key = f"incident:{incident.id}:remind:{incident.expected_at.isoformat()}"
    sent = [staff_message(session, settings, s, text, now, key=f"{key}:{s.id}") for s in {p.id: p for p in people}.values()]
    return any(sent)
