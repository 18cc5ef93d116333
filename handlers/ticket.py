"""What the FAQ hands off becomes a ticket: routed, assigned, and acknowledged with its number."""
from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import replace

from bot import tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.tickets import messages as M
from handlers.staff_commands import staff_member
from handlers.urgent import respond as urgent_respond
from knowledge_base.router import route
from knowledge_base.settings import RoutingSettings

log = logging.getLogger("linli.ticket")

_GREETING = re.compile(r"^(你好|您好|你们好|在吗|在不在|有人吗|早|早上好|中午好|下午好|晚上好|hi|hello|哈喽)\W*$", re.I)
_THANKS = re.compile(r"^(好的|好)?\W*(谢谢|谢谢你|谢谢您|谢谢你们|多谢|感谢|好的|好|收到|知道了|明白了|嗯+|ok|辛苦了)\W*$",
                     re.I)
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
        if ctx.notes.get("handoff_text"):  # "转人工" after a menu: the question is the earlier text
            msg = replace(msg, text=ctx.notes["handoff_text"])
            match = None
        found = route(msg.text, match, self.rules)
        if found.urgent:  # e.g. a voice message whose recognition text is an emergency
            return urgent_respond(msg, ctx, found)
        reason = ctx.notes.get("handoff_reason") or ("handoff" if msg.has_text else f"kind:{msg.kind}")
        ticket = tickets.open_ticket(ctx.session, ctx.services, msg, found, ctx.now(), reason=reason)
        ctx.notes["ticket_id"] = ticket.id
        ctx.notes.setdefault("decision", "handoff")
        return Reply(acknowledgement(ticket, ctx.settings))


def _small_talk(msg: Inbound, ctx: Context) -> Reply | None:
    """A bare greeting or thanks is answered politely; it is not a ticket for the staff."""
    if ctx.notes.get("handoff_reason") == "asked_for_person" or not msg.has_text:
        return None
    text = unicodedata.normalize("NFKC", msg.text).strip()
    if _GREETING.match(text):
        ctx.notes["decision"] = "small_talk"
        return Reply(M.GREETING_REPLY)
    if is_thanks(text):
        ctx.notes["decision"] = "small_talk"
        return Reply(M.THANKS_REPLY)
    return None


def is_thanks(text: str) -> bool:
    """'谢谢', '好的，谢谢', '收到' … (NFKC-normalised text)."""
    return bool(_THANKS.match(text))


def acknowledgement(ticket, settings) -> str:
    """The passive reply: ticket number, who on duty has it, what to expect."""
    fmt = dict(id=ticket.id, category=M.CATEGORY_NAMES.get(ticket.category, ticket.category),
               expect=M.EXPECT.get(ticket.priority, M.EXPECT["normal"]), phone=settings.desk.duty_phone)
    if ticket.assignee is not None:
        return M.TICKET_ACK.format(assignee=ticket.assignee.name, **fmt)
    return M.TICKET_ACK_NOBODY.format(**fmt)


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
