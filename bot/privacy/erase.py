"""Erase one resident: `linli resident erase OPENID` and the resident's own 删除我的信息.

Their contact card, conversation state and queued messages go; messages, tickets and every other
row that names them keep only what the 工单台账 needs, under a pseudonym that names nobody.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import String, cast, delete, literal, or_, select, update
from sqlalchemy.orm import Session

from bot import ratelimit
from bot.db.models import Base, Ticket, TicketEvent
from bot.privacy.places import (RULES, Rule, personal_tables, pseudonym, safe_event_data, who_columns,
                                 wiped_values)
from bot.tickets.core import notify_assignee_or_duty
from bot.tickets.events import event
from bot.tickets.media import media_dir

log = logging.getLogger("linli.privacy")
ACTIVE = ("open", "answered")
CANCELLED_TO_STAFF = "【工单#{id} 已撤回】居民要求删除个人信息，工单已撤回并匿名，无需再处理。"


@dataclass
class Erased:
    """What an erase changed, per table (rows), plus the files removed."""

    pseudonym: str
    rows: dict[str, int] = field(default_factory=dict)
    files: int = 0

    @property
    def total(self) -> int:
        return sum(self.rows.values())


def erase_resident(session: Session, services, open_id: str, now: datetime) -> Erased:
    """Remove or anonymise everything that names OPEN_ID (one transaction; safe to run twice)."""
    out = Erased(pseudonym(), files=_remove_media(session, services, open_id))
    tickets = list(session.scalars(select(Ticket).where(Ticket.resident_open_id == open_id)))
    ticket_ids = [t.id for t in tickets]
    active = [t for t in tickets if t.status in ACTIVE]
    _strip_events(session, ticket_ids, out)
    session.flush()
    _wipe_ticket_quotes(session, ticket_ids, out)
    _rename_event_keys(session, open_id)
    for table, who in personal_tables():
        match = or_(*(col == open_id for col in who))
        if table.name == "outbox" and ticket_ids:  # staff notices quoting the resident go too
            match = match | table.c.ticket_id.in_(ticket_ids)
        if RULES.get(table.name, Rule()).delete:
            n = session.execute(delete(table).where(match)).rowcount
        else:
            values = wiped_values(table) | {c.name: out.pseudonym for c in who}
            n = session.execute(update(table).where(match).values(**values)).rowcount
        if n:
            out.rows[table.name] = n
    session.expire_all()  # Core updates above: reload what the ORM holds
    _withdraw(session, services, [t.id for t in active], now)
    ratelimit.forget(session, ratelimit.key_for("bind", open_id))
    log.info("resident erased: %d rows, %d files (now %s)", out.total, out.files, out.pseudonym)
    return out


def _withdraw(session: Session, services, ticket_ids: list[int], now: datetime) -> None:
    """Open tickets are withdrawn: nobody can answer a resident we no longer know."""
    for ticket in session.scalars(select(Ticket).where(Ticket.id.in_(ticket_ids))):
        ticket.status, ticket.closed_at = "cancelled", now
        event(session, ticket, "resident", "cancelled", now, reason="erased", erased=True)
        if services is not None:
            notify_assignee_or_duty(session, services, ticket, CANCELLED_TO_STAFF.format(id=ticket.id), now)
    session.flush()


def _strip_events(session: Session, ticket_ids: list[int], out: Erased) -> None:
    """Ticket events keep what happened (categories, steps, ratings), never what was written."""
    if not ticket_ids:
        return
    events = session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(ticket_ids)))
    n = 0
    for ev in events:
        ev.data = safe_event_data(ev.data) | {"erased": True}
        n += 1
    out.rows["ticket_events"] = n


def _wipe_ticket_quotes(session: Session, ticket_ids: list[int], out: Erased) -> None:
    """Rows about their tickets that do not name the resident (staff alerts…) may still quote them."""
    if not ticket_ids:
        return
    for table in Base.metadata.sorted_tables:
        if "ticket_id" not in table.c or who_columns(table) or table.name in ("ticket_events", "faq_drafts"):
            continue
        values = wiped_values(table)
        if values:
            n = session.execute(update(table).where(table.c.ticket_id.in_(ticket_ids)).values(**values)).rowcount
            if n:
                out.rows[table.name] = n


def _rename_event_keys(session: Session, open_id: str) -> None:
    """Event message keys are 'evt:<open_id>:<time>': rewrite them wherever they are stored."""
    like = f"evt:{open_id}:%"
    for table in Base.metadata.sorted_tables:
        if "msg_key" not in table.c or "id" not in table.c:
            continue
        new_key = literal("evt:erased:") + cast(table.c.id, String)
        session.execute(update(table).where(table.c.msg_key.like(like)).values(msg_key=new_key))


def _remove_media(session: Session, services, open_id: str) -> int:
    """Photos and voice files the resident sent are deleted from disk (their rows are wiped after)."""
    table = Base.metadata.tables.get("media_items")
    if table is None or services is None:
        return 0
    folder, removed = media_dir(services), 0
    for path in session.scalars(select(table.c.path).where(table.c.open_id == open_id, table.c.path.is_not(None))):
        target = (folder / path).resolve()
        if folder.resolve() in target.parents and target.is_file():
            target.unlink()
            removed += 1
    return removed
