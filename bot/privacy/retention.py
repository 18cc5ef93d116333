"""The daily purge: each kind of data is kept as long as `privacy:` in config says, then goes.

Idempotent (every step selects only what is still there to purge), run once a local day by the
scheduler after `privacy.purge_at`, and by `linli tick`. Tickets stay for the 工单台账, anonymised.
"""
from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import String, and_, cast, delete, exists, func, literal, select, update
from sqlalchemy.orm import Session

from bot import ratelimit
from bot.db.models import (ConsoleSession, ConversationState, InboundMessage, Outbox, Resident, SweepMark,
                           Ticket, TicketEvent)
from bot.privacy.places import safe_event_data, scrub

log = logging.getLogger("linli.privacy")
PURGED = "purged"  # the open_id of message rows whose text has aged out
ANON = "anon"  # the resident of a ticket kept for the ledger
KEPT_OUTBOX = ("pending", "sending", "held")  # never purge what is still to be sent


def _days(now: datetime, n: int) -> datetime:
    return now - timedelta(days=n)


def purge(session: Session, services, now: datetime) -> dict[str, int]:
    """One full pass over every retention rule; returns rows changed per rule."""
    p = services.settings.privacy
    done = {
        "message_texts": _message_texts(session, _days(now, p.message_texts_days)),
        "locations": _locations(session, _days(now, p.locations_days), _days(now, p.message_texts_days)),
        "errors": _errors(session, _days(now, p.errors_days)),
        "outbox": session.execute(delete(Outbox).where(
            Outbox.created_at < _days(now, p.outbox_days), Outbox.status.not_in(KEPT_OUTBOX))).rowcount,
        "tickets": _tickets(session, _days(now, p.ticket_residents_days)),
        "residents": _residents(session, _days(now, p.resident_profiles_days)),
        "conversation_state": session.execute(delete(ConversationState).where(
            ConversationState.expires_at < now - timedelta(days=1))).rowcount,
        "rate_counters": ratelimit.purge_stale(session, now - timedelta(days=1)),
    }
    done["console_sessions"] = purge_expired(session, services.settings.web, now)
    return {k: v or 0 for k, v in done.items()}


def purge_expired(s: Session, web, now: datetime) -> int:
    """Console sessions past their idle or absolute limit (web.session_idle_minutes, session_max_hours)."""
    idle = now - timedelta(minutes=web.session_idle_minutes)
    oldest = now - timedelta(hours=web.session_max_hours)
    stmt = delete(ConsoleSession).where((ConsoleSession.last_seen_at < idle) | (ConsoleSession.created_at < oldest))
    return s.execute(stmt).rowcount or 0


def _message_texts(session: Session, before: datetime) -> int:
    """Old messages keep kind, handler and time (for the figures); text, reply and sender go."""
    t = InboundMessage.__table__
    evt_key = literal("evt:purged:") + cast(t.c.id, String)
    stmt = (update(t).where(t.c.received_at < before, t.c.open_id != PURGED)
            .values(open_id=PURGED, text="", payload={}, reply_text=None, scores=None, error=None))
    n = session.execute(stmt).rowcount
    session.execute(update(t).where(t.c.open_id == PURGED, t.c.msg_key.like("evt:%"),
                                    t.c.msg_key.not_like("evt:purged:%")).values(msg_key=evt_key))
    return n


def _locations(session: Session, before: datetime, texts_before: datetime) -> int:
    """Coordinates go after a shorter time than texts (older rows were wiped whole already)."""
    n = 0
    rows = session.scalars(select(InboundMessage).where(
        InboundMessage.received_at < before, InboundMessage.received_at >= texts_before,
        InboundMessage.kind.in_(("location", "event"))))
    for row in rows:
        if "location" in (row.payload or {}):
            row.payload = {k: v for k, v in row.payload.items() if k != "location"}
            row.text = "" if row.kind == "location" else row.text
            n += 1
    tickets = session.execute(update(Ticket).where(Ticket.created_at < before, Ticket.subject.like("[位置]%"),
                                                   Ticket.subject != "[位置]").values(subject="[位置]"))
    events = session.scalars(select(TicketEvent).where(TicketEvent.at < before, TicketEvent.at >= texts_before))
    for ev in events:
        data = ev.data or {}
        if str(data.get("text", "")).startswith("[位置]") and data.get("text") != "[位置]":
            ev.data = {k: v for k, v in data.items() if k != "staff_line"} | {"text": "[位置]"}
            n += 1
    return n + (tickets.rowcount or 0)


def _errors(session: Session, before: datetime) -> int:
    """Tracebacks and API errors can quote what residents wrote."""
    a = session.execute(update(InboundMessage).where(InboundMessage.received_at < before,
                                                     InboundMessage.error.is_not(None)).values(error=None))
    b = session.execute(update(Outbox).where(Outbox.created_at < before, Outbox.last_error.is_not(None))
                        .values(last_error=None))
    return (a.rowcount or 0) + (b.rowcount or 0)


def _tickets(session: Session, before: datetime) -> int:
    """Finished tickets keep category, times, handler and rating for the ledger; not who or details."""
    finished = and_(Ticket.status.in_(("closed", "cancelled", "answered")),
                    func.coalesce(Ticket.closed_at, Ticket.answered_at, Ticket.created_at) < before,
                    Ticket.resident_open_id != ANON)
    ids = list(session.scalars(select(Ticket.id).where(finished)))
    for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(ids))):
        ticket.resident_open_id = ANON
        ticket.subject, ticket.last_answer = scrub(ticket.subject), scrub(ticket.last_answer)
    for ev in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(ids))):
        ev.data = safe_event_data(ev.data) | {"purged": True}
    return len(ids)


def _residents(session: Session, before: datetime) -> int:
    """A contact card goes a year after the resident's last message, unless a ticket is still open."""
    open_ticket = exists().where(Ticket.resident_open_id == Resident.open_id, Ticket.status.in_(("open", "answered")))
    last = func.coalesce(Resident.last_message_at, Resident.first_seen)
    return session.execute(delete(Resident).where(last < before, ~open_ticket)).rowcount or 0


def privacy_due(session: Session, services, now: datetime, by: str = "") -> dict[str, int] | None:
    """The scheduler's daily purge: once per local day, after privacy.purge_at."""
    p = services.settings.privacy
    local = now.astimezone(ZoneInfo(services.settings.desk.timezone))
    if local.time() < time.fromisoformat(p.purge_at):
        return None
    key = f"privacy:{local.date().isoformat()}"
    if session.get(SweepMark, key) is not None:
        return None
    done = purge(session, services, now)
    session.add(SweepMark(key=key, done_at=now))
    log.info("privacy purge %s by %s: %s", key, by or "?", done)
    return done
