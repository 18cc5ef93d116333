"""Residents' self-service: 我的工单, 查询 12, 取消 12, and the rating reply after a staff answer."""
from __future__ import annotations

import re
import unicodedata

from bot import tickets
from bot.conversation import pending_rating
from bot.db.models import ConversationState
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M
from bot.tickets import views
from knowledge_base.phrases import asks_for_my_tickets, parse_rating

_QUERY = re.compile(r"^(查询|查|进度|工单)\s*#?\s*(\d+)$")
_CANCEL = re.compile(r"^(取消|撤回|撤销)\s*(工单)?\s*#?\s*(\d+)$")


def _clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").strip().rstrip("?？。.!！")


class SelfService:
    name = "selfservice"

    def check(self, msg: Inbound, ctx: Context):
        if msg.kind != "text" or ctx.staff:
            return None
        t = _clean(msg.text)
        if asks_for_my_tickets(t):
            return ("mine", None)
        if m := _QUERY.match(t):
            return ("query", int(m.group(2)))
        if m := _CANCEL.match(t):
            return ("cancel", int(m.group(3)))
        stars = parse_rating(t)
        if stars is not None and (state := pending_rating(ctx, msg.open_id)) is not None:
            return ("rate", (state, stars))
        return None

    def handle(self, msg: Inbound, ctx: Context, match) -> Reply:
        verb, arg = match
        ctx.decision = f"self:{verb}"
        if verb == "mine":
            return Reply(views.my_tickets(ctx.session, msg.open_id))
        if verb == "rate":
            return self._rate(ctx, *arg)
        ticket = tickets.get(ctx.session, arg, for_update=True)
        if ticket is None or ticket.resident_open_id != msg.open_id:
            return Reply(M.TICKET_NOT_FOUND.format(id=arg))
        ctx.ticket_id = ticket.id
        if verb == "query":
            return Reply(views.ticket_status(ticket, ctx.settings.desk.timezone))
        if ticket.status not in tickets.ACTIVE:
            return Reply(M.CANNOT_CANCEL.format(id=ticket.id, status=M.STATUS_NAMES[ticket.status]))
        tickets.cancel(ctx.session, ctx.services, ticket, ctx.now())
        return Reply(M.CANCELLED_TO_RESIDENT.format(id=ticket.id))

    def _rate(self, ctx: Context, state: ConversationState, stars: int) -> Reply:
        ticket = tickets.get(ctx.session, state.data.get("ticket_id"), for_update=True)
        if ticket is None:
            ctx.session.delete(state)
            return Reply(M.RATING_THANKS.format(stars=stars))
        ctx.ticket_id = ticket.id
        if tickets.rate(ctx.session, ctx.services, ticket, stars, ctx.now()):
            return Reply(M.RATING_SORRY.format(id=ticket.id))
        return Reply(M.RATING_THANKS.format(stars=stars))

