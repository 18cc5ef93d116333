"""Follow-ups join the resident's open ticket, unless they are clearly a new question."""
from __future__ import annotations

import logging
import re
import unicodedata
from datetime import timedelta

from bot import tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from handlers.staff_commands import staff_member
from handlers.ticket import is_thanks
from bot.tickets import messages as M

log = logging.getLogger("linli.thread")

THREAD_KINDS = ("text", "image", "voice", "video", "shortvideo", "location", "link")
# An answered ticket keeps collecting follow-ups this long after the answer; later messages are new.
ANSWERED_WINDOW = timedelta(hours=24)
_HUMAN = re.compile(r"转人工|人工客服|找人工|人工服务|要人工|真人")


class Thread:
    name = "thread"

    def check(self, msg: Inbound, ctx: Context):
        """The resident's active ticket, if this message belongs to it."""
        if msg.kind not in THREAD_KINDS or staff_member(msg, ctx):
            return None
        ticket = tickets.active_for_resident(ctx.session, msg.open_id)
        if ticket is None:
            return None
        if ticket.status == "answered" and ctx.now() - (ticket.answered_at or ticket.created_at) > ANSWERED_WINDOW:
            return None
        if msg.has_text and not _asks_for_person(msg, ctx) and _new_topic(msg.text, ctx):
            return None
        return ticket

    def handle(self, msg: Inbound, ctx: Context, ticket) -> Reply:
        ctx.notes["ticket_id"] = ticket.id
        text = unicodedata.normalize("NFKC", msg.text or "").strip()
        if ticket.status == "answered" and is_thanks(text):
            ctx.notes["decision"] = "thread:thanks"
            tickets.event(ctx.session, ticket, "resident", "acknowledged", ctx.now(), text=msg.text)
            return Reply(M.THANKS_REPLY)
        human = _asks_for_person(msg, ctx)
        ctx.notes["decision"] = "thread:human" if human else "thread:followup"
        tickets.add_followup(ctx.session, ctx.services, ticket, msg, ctx.now(), asked_for_person=human)
        name = ticket.assignee.name if ticket.assignee else None
        if human:
            return Reply(M.HUMAN_ACK.format(id=ticket.id, assignee=name or M.NOBODY,
                                            phone=ctx.settings.desk.duty_phone))
        if name:
            return Reply(M.FOLLOWUP_ACK.format(id=ticket.id, assignee=name))
        return Reply(M.FOLLOWUP_ACK_NOBODY.format(id=ticket.id))


def _asks_for_person(msg: Inbound, ctx: Context) -> bool:
    """转人工 and friends, or a '0' the conversation handler read as a request for a person."""
    return bool(_HUMAN.search(msg.text or "")) or ctx.notes.get("handoff_reason") == "asked_for_person"


def _new_topic(text: str, ctx: Context) -> bool:
    """Clearly a new question: the live FAQ matcher would answer it with confidence."""
    provider = ctx.services.matchers
    if provider is None:
        return False
    try:
        result = provider.current(ctx.session).match(text)
    except Exception:  # a broken matcher must not lose the follow-up
        log.exception("matcher failed while threading a follow-up")
        return False
    return result.decision == "answer"
