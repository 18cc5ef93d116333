"""Last handler: acknowledge anything nobody else answered (never leave a resident unanswered)."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M


class Fallback:
    name = "fallback"

    def check(self, msg: Inbound, ctx: Context):
        return True

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        if ctx.decision is None:
            ctx.decision = "received"
        if msg.kind == "unknown":
            return Reply(M.FALLBACK_UNSUPPORTED)
        return Reply(M.FALLBACK_RECEIVED.format(phone=ctx.settings.desk.duty_phone))
