"""FAQ: answer when confident, offer a numbered menu when unsure, else hand on to a ticket."""
from __future__ import annotations

from bot.conversation import answer_reply, menu_reply, scores_of
from bot.domain import Handoff, Inbound, Reply
from bot.pipeline import Context
from bot.understand import understand


class Faq:
    name = "faq"

    def check(self, msg: Inbound, ctx: Context):
        if not msg.has_text or ctx.handoff is not None:
            return None
        live = ctx.services.matchers.current(ctx.session)
        return live, understand(ctx, msg.text)

    def handle(self, msg: Inbound, ctx: Context, found) -> Reply | None:
        live, result = found
        ctx.decision = result.decision if result.guard is None else f"guard:{result.guard}"
        ctx.scores = scores_of(result)
        if result.decision == "answer":
            return answer_reply(ctx, msg, live.entries[result.candidates[0].faq_id])
        if result.decision == "suggest":
            return menu_reply(ctx, msg, result)
        ctx.handoff = Handoff("handoff" if result.guard is None else f"guard:{result.guard}", match=result)
        return None
