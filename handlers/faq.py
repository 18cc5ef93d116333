"""FAQ: answer when confident, offer a numbered menu when unsure, else hand on to a ticket."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.understand import understand
from handlers.conversation import save_state

ANSWER_HINT = "\n\n（如果没有解决您的问题，请回复“0”转人工。）"
MENU_HEAD = "您是不是想问："
MENU_TAIL = "请回复序号查看答案；都不是请回复“0”，我们转给值班工作人员。"
MAX_REPLY_BYTES = 2048  # WeChat's limit for a passive text reply


class Faq:
    name = "faq"

    def check(self, msg: Inbound, ctx: Context):
        if not msg.has_text or ctx.notes.get("handoff_reason"):
            return None
        live = ctx.services.matchers.current(ctx.session)
        return live, understand(ctx, msg.text)

    def handle(self, msg: Inbound, ctx: Context, found) -> Reply | None:
        live, result = found
        ctx.notes["decision"] = result.decision if result.guard is None else f"guard:{result.guard}"
        ctx.notes["scores"] = scores_of(result)
        if result.decision == "answer":
            return answer_reply(ctx, msg, live.entries[result.candidates[0].faq_id])
        if result.decision == "suggest":
            return menu_reply(ctx, msg, result)
        ctx.notes["match"] = result
        ctx.notes["handoff_reason"] = "handoff" if result.guard is None else f"guard:{result.guard}"
        return None


def scores_of(result) -> dict:
    return {"normalized": result.normalized, "guard": result.guard,
            "candidates": [[c.faq_id, round(c.score, 4)] for c in result.candidates]}


def answer_reply(ctx: Context, msg: Inbound, entry) -> Reply:
    """The FAQ's answer plus the hand-off hint; remembers what was answered for a '0'."""
    save_state(ctx, msg.open_id, "answered", {"faq_id": entry.id, "text": msg.text}, minutes=ctx.settings.desk.menu_ttl_minutes)
    text = entry.answer + ANSWER_HINT
    return Reply(text if len(text.encode("utf-8")) <= MAX_REPLY_BYTES else entry.answer)


def menu_reply(ctx: Context, msg: Inbound, result) -> Reply:
    """A numbered 'did you mean' menu of up to three questions, remembered until it expires."""
    options = [{"faq_id": c.faq_id, "question": c.question} for c in result.candidates]
    save_state(ctx, msg.open_id, "menu", {"options": options, "text": msg.text,
                                          "scores": scores_of(result)},
               minutes=ctx.settings.desk.menu_ttl_minutes)
    lines = [MENU_HEAD] + [f"{i}. {o['question']}" for i, o in enumerate(options, 1)] + [MENU_TAIL]
    return Reply("\n".join(lines))
