"""What the FAQ hands off becomes a ticket: routed, assigned, and acknowledged with its number."""
from __future__ import annotations

import logging
from dataclasses import replace

from bot import tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.understand import understand
from bot.tickets import contact
from bot import texts as M
from bot.tickets.matter import small_talk
from bot.tickets.views import acknowledgement
from handlers.staff_commands import staff_member
from handlers.urgent import respond as urgent_respond
from knowledge_base.router import route
from knowledge_base.settings import RoutingSettings

log = logging.getLogger("linli.ticket")

TICKET_KINDS = ("text", "image", "voice", "video", "shortvideo", "location", "link")


class Ticket:
    name = "ticket"

    def __init__(self, settings):
        self.rules = RoutingSettings(**settings.routing)

    def check(self, msg: Inbound, ctx: Context):
        """A resident's message nobody answered: handed off by the FAQ, or not text at all."""
        if msg.kind not in TICKET_KINDS or staff_member(msg, ctx):
            return None
        if not msg.has_text and msg.kind == "text":
            return None
        return True

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        small_talk = _small_talk(msg, ctx)
        if small_talk is not None:
            return small_talk
        match = ctx.notes.get("match")
        if ctx.notes.get("handoff_text"):  # "0"/转人工 after an answer or a menu: the question asked then
            msg = replace(msg, text=ctx.notes["handoff_text"])
            match = _matcher_view(ctx, msg.text)
        found = route(msg.text, match, self.rules)
        if found.urgent:  # e.g. a voice message whose recognition text is an emergency
            return urgent_respond(msg, ctx, found)
        ticket = open_for(ctx, msg, found)
        return Reply(acknowledgement(ticket, ctx.settings) + contact.ask_once(ctx.session, ticket, ctx.now()))


def open_for(ctx: Context, msg: Inbound, found):
    """Open the ticket for msg and note it on this delivery's row."""
    reason = ctx.notes.get("handoff_reason") or ("handoff" if msg.has_text else f"kind:{msg.kind}")
    ticket = tickets.open_ticket(ctx.session, ctx.services, msg, found, ctx.now(), reason=reason)
    ctx.notes["ticket_id"] = ticket.id
    ctx.notes.setdefault("decision", "handoff")
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
    if ctx.notes.get("handoff_reason") == "asked_for_person" or not msg.has_text:
        return None
    kind = small_talk(msg.text)
    if kind is None:
        return None
    ctx.notes["decision"] = "small_talk"
    return Reply({"greeting": M.GREETING_REPLY, "thanks": M.THANKS_REPLY}.get(kind, M.EMOJI_REPLY))


def make_error_ticket_hook(services):
    """services.on_error_ticket: a crashed handler still leaves the resident with a ticket."""

    def open_after_error(session, msg: Inbound, row) -> None:
        if msg.kind == "event" or services.staff_directory.by_open_id(session, msg.open_id):
            return
        try:
            with session.begin_nested():
                ticket = _open_or_follow(session, services, msg)
                if row is not None and row in session:
                    row.ticket_id = ticket.id
        except Exception:
            log.exception("could not open a ticket after a handler error for %s", msg.msg_key)

    return open_after_error


def _open_or_follow(session, services, msg: Inbound):
    now = services.clock.now()
    ticket = tickets.active_for_resident(session, msg.open_id)
    if ticket is not None:
        tickets.add_followup(session, services, ticket, msg, now)
        return ticket
    found = route(msg.text, None, RoutingSettings(**services.settings.routing))
    return tickets.open_ticket(session, services, msg, found, now, reason="error")
