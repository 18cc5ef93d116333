"""One update to everyone affected: one outbox row per resident, queued in one transaction, paced.

WeChat's limits, enforced here rather than discovered through errors: a customer-service message
reaches a user only within 48 hours of their last message, and only per_user_quota of them per
such window (5 since June 2023). Rows are spread over time (next_attempt_at) at
broadcast_per_minute, so the dispatcher, which takes due rows oldest first, sends ticket answers
queued meanwhile ahead of the rest of a large broadcast.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.db.models import Incident, IncidentUpdate, Outbox, Resident
from bot.db.upsert import insert_for
from bot.incidents import store

CHUNK = 500  # rows per INSERT statement (SQLite allows 32,766 bound parameters)
DEFERRED_NOTE = "outside the 48-hour window or its quota: given with the reply to the resident's next message"


@dataclass
class Broadcast:
    """What one update's fan-out did."""

    queued: int = 0
    unreachable: list[tuple[str, int | None]] = field(default_factory=list)
    last_send_at: datetime | None = None


def reachable(session: Session, settings, open_ids: list[str], now: datetime) -> set[str]:
    """Residents a customer-service message can reach now (48-hour window and per-window quota)."""
    cfg = settings.incidents
    since = now - timedelta(hours=cfg.window_hours)
    fresh: dict[str, datetime] = {}
    for start in range(0, len(open_ids), CHUNK):
        rows = session.execute(select(Resident.open_id, Resident.last_message_at).where(
            Resident.open_id.in_(open_ids[start:start + CHUNK]), Resident.last_message_at >= since))
        fresh.update(dict(rows.all()))
    used = _used_quota(session, list(fresh), fresh)
    return {o for o in fresh if used.get(o, 0) < cfg.per_user_quota}


def _used_quota(session: Session, open_ids: list[str], last: dict[str, datetime]) -> dict[str, int]:
    """Customer-service messages queued to each resident since their last message."""
    used: dict[str, int] = {}
    earliest = min(last.values(), default=None)
    for start in range(0, len(open_ids), CHUNK):
        rows = session.execute(select(Outbox.recipient, Outbox.created_at).where(
            Outbox.recipient.in_(open_ids[start:start + CHUNK]), Outbox.channel == "customer_service",
            Outbox.created_at >= earliest, Outbox.status != "fallback"))
        for open_id, created in rows:
            if created >= last[open_id]:
                used[open_id] = used.get(open_id, 0) + 1
    return used


def fan_out(session: Session, settings, incident: Incident, update: IncidentUpdate, now: datetime,
            text_for) -> Broadcast:
    """Queue `text_for(ticket_id)` once per resident of the incident: paced for those a
    customer-service message reaches now, 'deferred' (given in the reply to their next message,
    the conversation issue's path) for the others."""
    people = store.audience(session, incident.id)
    ok = reachable(session, settings, [o for o, _ in people], now)
    step = 60.0 / settings.incidents.broadcast_per_minute
    result, rows = Broadcast(), []
    for open_id, ticket_id in people:
        row = dict(created_at=now, channel="customer_service", recipient=open_id, text=text_for(ticket_id),
                   payload={"kind": "resident", "incident_id": incident.id}, ticket_id=ticket_id,
                   dedupe_key=f"incident:{incident.id}:{update.id}:{open_id}", status="pending", attempts=0, next_attempt_at=now,
                   last_error=None)
        if open_id in ok:
            row["next_attempt_at"] = now + timedelta(seconds=step * result.queued)
            result.queued += 1
        else:
            row.update(status="deferred", last_error=DEFERRED_NOTE)
            result.unreachable.append((open_id, ticket_id))
        rows.append(row)
    _supersede(session, incident.id, [o for o, _ in result.unreachable])
    for start in range(0, len(rows), CHUNK):
        stmt = insert_for(session, Outbox.__table__).on_conflict_do_nothing(index_elements=["dedupe_key"])
        session.execute(stmt, rows[start:start + CHUNK])
    result.last_send_at = now + timedelta(seconds=step * max(result.queued - 1, 0)) if result.queued else None
    update.unreachable = len(result.unreachable)
    return result


def _supersede(session: Session, incident_id: int, open_ids: list[str]) -> None:
    """A resident who is out of reach gets only the newest word on an incident, not every step."""
    for start in range(0, len(open_ids), CHUNK):
        session.execute(update(Outbox).where(
            Outbox.recipient.in_(open_ids[start:start + CHUNK]), Outbox.status == "deferred",
            Outbox.dedupe_key.like(f"incident:{incident_id}:%")).values(status="superseded"))
