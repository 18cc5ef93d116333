"""Emergencies (gas, fire, flooding, a fall, a missing child…): safety guidance at once, everyone notified."""
from __future__ import annotations

from bot import tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from handlers.staff_commands import staff_member
from bot.tickets import contact
from bot.tickets import messages as M
from knowledge_base.guards import guard
from knowledge_base.router import Route, route
from knowledge_base.settings import RoutingSettings


def guidance(text: str) -> str:
    """Safety advice for the kind of emergency the message describes."""
    for kind, words in M.URGENT_KEYWORDS.items():
        if any(w in text for w in words):
            return M.URGENT_GUIDANCE[kind]
    return M.URGENT_GUIDANCE["general"]


class Urgent:
    name = "urgent"

    def __init__(self, settings):
        self.rules = RoutingSettings(**settings.routing)

    def check(self, msg: Inbound, ctx: Context):
        """An urgent text from a resident (never answered by the FAQ)."""
        if not msg.has_text or guard(msg.text) != "urgent":
            return None
        if staff_member(msg, ctx):
            return None
        found = route(msg.text, None, self.rules)
        return found if found.urgent else Route("urgent", "urgent", True, "guard:urgent")

    def handle(self, msg: Inbound, ctx: Context, found) -> Reply:
        return respond(msg, ctx, found)


def respond(msg: Inbound, ctx: Context, found) -> Reply:
    """Urgent ticket (or a follow-up to the open urgent one), everyone told, guidance at once."""
    now = ctx.now()
    current = tickets.active_for_resident(ctx.session, msg.open_id)
    if current is not None and current.priority == "urgent":
        tickets.add_followup(ctx.session, ctx.services, current, msg, now)
        ticket = current
    else:
        ticket = tickets.open_ticket(ctx.session, ctx.services, msg, found, now, reason="urgent")
    ctx.notes.update(decision="urgent", ticket_id=ticket.id)
    where = contact.ask_once(ctx.session, ticket, now)  # issue 13: where exactly, at once, unless known
    return Reply(M.URGENT_REPLY.format(id=ticket.id, guidance=guidance(msg.text),
                                       phone=ctx.settings.desk.duty_phone) + ("\n" + where if where else ""))
