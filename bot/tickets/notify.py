"""Queue ticket messages to residents and staff in the outbox (same transaction as the change)."""
from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Resident, Staff, Ticket
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.outbox.staff_channels import queue_staff_notice
from bot import texts as M

log = logging.getLogger("linli.tickets")


def to_resident(session: Session, ticket: Ticket, text: str, now: datetime, key: str | None = None) -> None:
    """Queue a customer-service message to the ticket's resident."""
    enqueue(session, OutboundMessage(
        recipient=ticket.resident_open_id, text=text, channel="customer_service",
        ticket_id=ticket.id, dedupe_key=key, extra={"kind": "resident"},
    ), now)


def to_staff(session: Session, settings, staff: Staff, text: str, now: datetime,
             ticket: Ticket | None = None, key: str | None = None) -> bool:
    """Notify one staff member about a ticket (see staff_message)."""
    return staff_message(session, settings, staff, text, now, key, ticket.id if ticket is not None else None)


def staff_message(session: Session, settings, staff: Staff, text: str, now: datetime,
                  key: str | None = None, ticket_id: int | None = None) -> bool:
    """Queue a message to one staff member on the staff channel chain (bot.outbox.staff_channels).
    False only if this key was queued before: a person without a channel is not skipped silently.
    Every staff notice (tickets, sweeps, roster, incidents, console) is queued through here."""
    return queue_staff_notice(session, settings, staff, text, now, key, ticket_id)


def to_many(session: Session, settings, people, text: str, now: datetime, ticket: Ticket | None = None) -> int:
    """Notify each distinct staff member once."""
    seen, count = set(), 0
    for staff in people:
        if staff is None or staff.id in seen:
            continue
        seen.add(staff.id)
        count += to_staff(session, settings, staff, text, now, ticket)
    return count


def short(text: str, limit: int = 80) -> str:
    """A ticket's question on one line, cut for a WeChat notification."""
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def resident_label(session: Session, open_id: str) -> str:
    """How staff see a resident: name, address and phone when known, else the open_id tail."""
    r = session.scalar(select(Resident).where(Resident.open_id == open_id))
    parts = []
    if r is not None and r.name:
        parts.append(r.name)
    if r is not None and (r.building or r.unit or r.room):
        parts.append("".join(fmt.format(v) for fmt, v in zip(M.RESIDENT_ADDRESS, (r.building, r.unit, r.room)) if v))
    if r is not None and r.phone:
        parts.append(M.RESIDENT_PHONE.format(phone=r.phone))
    parts.append(M.RESIDENT_WECHAT.format(tail=open_id[-4:]))
    return "，".join(parts)


def resident_phone(session: Session, open_id: str) -> str:
    r = session.scalar(select(Resident).where(Resident.open_id == open_id))
    return (r.phone if r is not None else "") or M.PHONE_UNKNOWN
