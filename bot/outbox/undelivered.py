"""Staff notices nobody could deliver: told to the duty partner and the lead, and a console alert.

An alert (StaffAlert) stays open — a red banner in the console — until someone acknowledges it.
Every notice also has a delivery state people can read (`delivery_state`).
"""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Outbox, Staff, StaffAlert
from bot.outbox.staff_channels import queue_staff_notice

log = logging.getLogger("linli.staff_alerts")


def delivery_state(row: Outbox) -> str:
    """What happened to one outbox row, in Chinese (console and staff views)."""
    payload = row.payload or {}
    if row.status == "sent":
        via = payload.get("via") or row.channel
        return M.DELIVERED_VIA.format(channel=M.CHANNEL_NAMES.get(via, row.channel))
    state = M.DELIVERY_STATES.get(row.status, row.status)
    if payload.get("forwarded_to"):
        state += M.FORWARDED_TO.format(names=M.NAME_SEPARATOR.join(payload["forwarded_to"]))
    return state


def _helpers(session: Session, services, person: Staff | None, now: datetime) -> list[Staff]:
    """Who hears that `person` was unreachable: today's duty partner(s) and the leads (admins if none)."""
    pid = person.id if person is not None else None
    people = [s for s in services.duty.on_duty(session, now) + services.duty.leads(session) if s.id != pid]
    if not any(s.role == "lead" for s in people):
        people += [s for s in services.staff_directory.active(session) if s.role == "admin" and s.id != pid]
    seen, out = set(), []
    for s in people:
        if s.id not in seen:
            seen.add(s.id)
            out.append(s)
    return out


def undelivered(session: Session, services, row: Outbox, now: datetime) -> StaffAlert | None:
    """Every channel failed for this staff notice: alert once, and tell the partner and the lead."""
    if session.scalar(select(StaffAlert.id).where(StaffAlert.outbox_id == row.id)) is not None:
        return None
    payload = dict(row.payload or {})
    person = session.get(Staff, payload["staff_id"]) if payload.get("staff_id") else None
    name = payload.get("staff") or row.recipient
    alert = StaffAlert(created_at=now, staff_name=name, outbox_id=row.id, ticket_id=row.ticket_id,
                       text=row.text[:2000], reason=(row.last_error or "")[:1000])
    session.add(alert)
    log.error("staff notice %s to %s undelivered on every channel: %s", row.id, name, row.last_error)
    if payload.get("forwarded_for") is None:  # a forwarded notice that fails is not forwarded again
        text = M.UNDELIVERED_TO_STAFF.format(name=name, phone=(person.phone if person else "") or M.PHONE_UNKNOWN,
                                             text=row.text)
        helpers = _helpers(session, services, person, now)
        for other in helpers:
            queue_staff_notice(session, services.settings, other, text, now, f"undelivered:{row.id}@{other.id}",
                               row.ticket_id, forwarded_for=row.id)
        payload["forwarded_to"] = [s.name for s in helpers]
        row.payload = payload
    return alert


def open_alerts(session: Session) -> list[StaffAlert]:
    """Alerts nobody has acknowledged yet, newest first (the console's red banner)."""
    q = select(StaffAlert).where(StaffAlert.acknowledged_at.is_(None)).order_by(StaffAlert.id.desc())
    return list(session.scalars(q))


def acknowledge(session: Session, alert_id: int, by: str, now: datetime) -> bool:
    """Acknowledge one alert; False if it does not exist or was acknowledged already."""
    alert = session.get(StaffAlert, alert_id)
    if alert is None or alert.acknowledged_at is not None:
        return False
    alert.acknowledged_at, alert.acknowledged_by = now, by
    return True

