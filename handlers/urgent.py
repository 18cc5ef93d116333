"""Emergencies (gas, fire, flooding, a fall, a missing child…): safety guidance at once, everyone
notified. Possible emergencies (the safety net's caution level): a person at once, the emergency
numbers and a question where they are — never an FAQ answer or a menu."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import func, select

from bot import tickets
from bot.db.models import TicketEvent
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M
from bot.tickets.urgent import URGENT_ROUTE, raise_alarm
from bot.understand import understand
from knowledge_base.router import Route, route


class Urgent:
    name = "urgent"

    def __init__(self, settings):
        self.rules = settings.routing

    def check(self, msg: Inbound, ctx: Context):
        """A resident's text the safety net reads as urgent or possibly urgent."""
        if not msg.has_text or ctx.staff:
            return None
        result = understand(ctx, msg.text)
        if result.guard not in ("urgent", "caution"):
            return None
        return result

    def handle(self, msg: Inbound, ctx: Context, result) -> Reply:
        situation = result.safety.situation if result.safety else None
        if result.guard == "urgent":
            alarm = raise_alarm(ctx.session, ctx.services, msg, URGENT_ROUTE, ctx.now(), situation)
            ctx.decision, ctx.ticket_id = "urgent", alarm.ticket.id
            return Reply(alarm.reply)
        return caution(msg, ctx, route(msg.text, result, self.rules))


def caution(msg: Inbound, ctx: Context, found: Route) -> Reply:
    """Maybe an emergency: a high-priority ticket everyone on duty hears of, the numbers, where."""
    now = ctx.now()
    current = tickets.active_for_resident(ctx.session, msg.open_id)
    if current is not None and current.priority in ("urgent", "high"):
        if _recent_followups(ctx, current) >= ctx.settings.limits.resident_messages:
            # the same "maybe" over and over: it joins the ticket, staff already have it
            tickets.event(ctx.session, current, "resident", "followup", now, text=msg.describe(),
                          msg_key=msg.msg_key, coalesced=True)
        else:
            tickets.add_followup(ctx.session, ctx.services, current, msg, now)
        ticket = current
    else:
        ticket = tickets.open_ticket(ctx.session, ctx.services, msg, found, now, reason="caution")
    ctx.decision, ctx.ticket_id = "caution", ticket.id
    return Reply(M.CAUTION_REPLY.format(id=ticket.id, phone=ctx.settings.desk.duty_phone))


def _recent_followups(ctx: Context, ticket) -> int:
    """The resident's follow-ups on this ticket within the flood window."""
    since = ctx.now() - timedelta(minutes=ctx.settings.limits.resident_window_minutes)
    return ctx.session.scalar(select(func.count()).select_from(TicketEvent).where(
        TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "followup", TicketEvent.at > since)) or 0

