"""What the FAQ hands off becomes a ticket: routed, assigned, and acknowledged with its number."""
from __future__ import annotations

import logging
from dataclasses import replace

from bot import tickets
from bot.domain import RESIDENT_KINDS, Inbound, Reply
from bot.pipeline import Context
from bot.understand import understand
from bot.tickets import contact
from bot import texts as M
from bot.tickets.urgent import raise_alarm
from bot.tickets.views import acknowledgement
from knowledge_base.phrases import small_talk
from knowledge_base.router import route

log = logging.getLogger("linli.ticket")


class Ticket:
    name = "ticket"

    def __init__(self, settings):
        self.rules = settings.routing

    def check(self, msg: Inbound, ctx: Context):
        """A resident's message nobody answered: handed off by the FAQ, or not text at all."""
        if msg.kind not in RESIDENT_KINDS or ctx.staff:
            return None
        if not msg.has_text and msg.kind == "text":
            return None
        return True

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        small_talk = _small_talk(msg, ctx)
        if small_talk is not None:
            return small_talk
        handoff = ctx.handoff
        match = handoff.match if handoff is not None else None
        if handoff is not None and handoff.text:  # "0"/转人工 after an answer or a menu: the question asked then
            msg = replace(msg, text=handoff.text)
            match = _matcher_view(ctx, msg.text)
        found = route(msg.text, match, self.rules)
        if found.urgent:  # e.g. a voice message whose recognition text is an emergency
            alarm = raise_alarm(ctx.session, ctx.services, msg, found, ctx.now())
            ctx.decision, ctx.ticket_id = "urgent", alarm.ticket.id
            return Reply(alarm.reply)
        ticket = open_for(ctx, msg, found)
        return Reply(acknowledgement(ticket, ctx.settings) + contact.ask_once(ctx.session, ticket, ctx.now()))


def open_for(ctx: Context, msg: Inbound, found):
    """Open the ticket for msg and note it on this delivery's row."""
    reason = (ctx.handoff.reason if ctx.handoff is not None else None) or (
        "handoff" if msg.has_text else f"kind:{msg.kind}")
    ticket = tickets.open_ticket(ctx.session, ctx.services, msg, found, ctx.now(), reason=reason)
    ctx.ticket_id = ticket.id
    if ctx.decision is None:
        ctx.decision = "handoff"
    return ticket


def _matcher_view(ctx: Context, text: str):
    """The matcher's view of the handed-on question (its nearest FAQ routes it)."""
    try:
        return understand(ctx, text)
    except Exception:  # routing falls back to the rules alone
        log.exception("matcher failed while routing a hand-off")
        return None


def _small_talk(msg: Inbound, ctx: Context) -> Reply | None:
    """A bare greeting or thanks is answered politely; it is not a ticket for the staff."""
    if ctx.asked_for_person or not msg.has_text:
        return None
    kind = small_talk(msg.text)
    if kind is None:
        return None
    ctx.decision = "small_talk"
    return Reply({"greeting": M.GREETING_REPLY, "thanks": M.THANKS_REPLY}.get(kind, M.EMOJI_REPLY))

