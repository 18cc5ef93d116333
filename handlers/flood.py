"""Flood limits for one resident (issue 12, finding 7): follow-ups past the rate are coalesced into
one staff notice per window, and a resident cannot open ticket after ticket (转人工/取消 loops).

Both steps sit after the urgent handler, so an emergency is never limited; they also step aside for
any text the urgent guard recognises. Nothing is dropped: every message is stored (dedupe) and joins
the resident's ticket as an event staff see in the console.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select

from bot import tickets
from bot.db.models import InboundMessage, Ticket
from bot.domain import RESIDENT_KINDS, Inbound, Reply
from bot.pipeline import Context
from bot.tickets.notify import to_staff
from bot.understand import safety_level
from bot import texts as M
from knowledge_base.phrases import small_talk


@dataclass(frozen=True)
class Join:
    ticket: Ticket


def _resident(msg: Inbound, ctx: Context) -> bool:
    """A resident's message that could make work for staff (not staff, not an emergency)."""
    if msg.kind not in RESIDENT_KINDS or ctx.duplicate or ctx.staff is not None:
        return False
    # never hold back an emergency; a "maybe" repeated by a flooding sender joins quietly
    return not (msg.has_text and safety_level(ctx, msg.text) == "urgent")


def recent_messages(ctx: Context, open_id: str, minutes: int) -> int:
    """How many messages this sender stored in the last `minutes` (this one included)."""
    since = ctx.now() - timedelta(minutes=minutes)
    return ctx.session.scalar(select(func.count()).select_from(InboundMessage).where(
        InboundMessage.open_id == open_id, InboundMessage.received_at > since)) or 0


def join_quietly(msg: Inbound, ctx: Context, ticket: Ticket) -> Reply:
    """The message joins the ticket; staff get one notice per ticket and window, not one per message."""
    now, limits = ctx.now(), ctx.settings.limits
    tickets.event(ctx.session, ticket, "resident", "followup", now, text=msg.describe(), msg_key=msg.msg_key,
                  msg_kind=msg.kind, media_id=msg.media_id, coalesced=True)
    if ticket.status != "open":
        tickets.restart_clock(ticket, now)
    ticket.unreachable = False
    window = limits.resident_window_minutes
    bucket = int(now.timestamp() // (window * 60))
    text = M.FLOOD_TO_STAFF.format(id=ticket.id, minutes=window, text=msg.describe()[:200])
    people = [ticket.assignee] if ticket.assignee is not None else ctx.services.duty.on_duty(ctx.session, now)
    for person in {p.id: p for p in people if p is not None}.values():
        to_staff(ctx.session, ctx.settings, person, text, now, ticket, key=f"flood:{ticket.id}:{bucket}:{person.id}")
    ctx.decision, ctx.ticket_id = "flood:coalesced", ticket.id
    return Reply(M.FLOOD_JOINED.format(id=ticket.id, phone=ctx.settings.desk.duty_phone))


class Flood:
    """Past `limits.resident_messages` per window, follow-ups join the open ticket quietly."""

    name = "flood"

    def check(self, msg: Inbound, ctx: Context) -> Join | None:
        if not _resident(msg, ctx):
            return None
        limits = ctx.settings.limits
        if recent_messages(ctx, msg.open_id, limits.resident_window_minutes) <= limits.resident_messages:
            return None
        ticket = tickets.active_for_resident(ctx.session, msg.open_id)
        return Join(ticket) if ticket is not None else None  # no ticket: the FAQ may still answer

    def handle(self, msg: Inbound, ctx: Context, match: Join) -> Reply:
        return join_quietly(msg, ctx, match.ticket)


class TicketCap:
    """Before a new ticket: at most `limits.resident_tickets` per resident per ticket window."""

    name = "ticket_cap"

    def check(self, msg: Inbound, ctx: Context) -> list[int] | None:
        if not _resident(msg, ctx) or (msg.kind == "text" and not msg.has_text):
            return None
        if msg.has_text and small_talk(msg.text) and not ctx.asked_for_person:
            return None  # a greeting or thanks is answered politely by the ticket handler, never a ticket
        limits = ctx.settings.limits
        since = ctx.now() - timedelta(minutes=limits.resident_ticket_window_minutes)
        recent = list(ctx.session.scalars(select(Ticket.id).where(
            Ticket.resident_open_id == msg.open_id, Ticket.created_at > since).order_by(Ticket.id)))
        return recent if len(recent) >= limits.resident_tickets else None

    def handle(self, msg: Inbound, ctx: Context, recent: list[int]) -> Reply:
        active = tickets.active_for_resident(ctx.session, msg.open_id)
        if active is not None:
            return join_quietly(msg, ctx, active)
        limits = ctx.settings.limits
        ctx.decision = "flood:ticket_cap"
        return Reply(M.FLOOD_TOO_MANY_TICKETS.format(
            minutes=limits.resident_ticket_window_minutes, count=len(recent),
            ids="、".join(f"#{i}" for i in recent), phone=ctx.settings.desk.duty_phone))
