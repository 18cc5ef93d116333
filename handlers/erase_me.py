"""A resident's own 删除我的信息: ask once for confirmation (确认删除), then erase (bot.privacy.erase)."""
from __future__ import annotations

import re
import unicodedata
from sqlalchemy import delete, select

from bot.conversation import save_state
from bot.db.models import ConversationState, InboundMessage
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.privacy.erase import erase_resident
from bot import texts as M

ASK_WORDS = re.compile(r"^(请)?(帮我)?(删除|清除|注销)(我的)?(个人)?(信息|资料|数据|记录)$")
CONFIRM = "确认删除"
STATE = "erase"
TTL_MINUTES = 10


def _clean(text: str) -> str:
    return re.sub(r"[\s。.!！?？]+", "", unicodedata.normalize("NFKC", text or ""))


class EraseMe:
    name = "erase_me"

    def check(self, msg: Inbound, ctx: Context) -> str | None:
        """'ask', 'confirm' or 'nothing' (确认删除 with no request just before it)."""
        if msg.kind != "text":
            return None
        text = _clean(msg.text)
        if not (text == CONFIRM or ASK_WORDS.match(text)):
            return None  # every other message costs nothing here
        if ctx.staff:
            return None
        if text != CONFIRM:
            return "ask"
        return "confirm" if _asked_just_before(msg, ctx) else "nothing"

    def handle(self, msg: Inbound, ctx: Context, action: str) -> Reply:
        ctx.decision = f"erase:{action}"
        if action == "ask":
            save_state(ctx, msg.open_id, STATE, {}, minutes=TTL_MINUTES)
            return Reply(M.ERASE_ASK)
        ctx.session.execute(delete(ConversationState).where(
            ConversationState.open_id == msg.open_id, ConversationState.kind == STATE))
        if action == "nothing":
            return Reply(M.ERASE_NOTHING)
        done = erase_resident(ctx.session, ctx.services, msg.open_id, ctx.now())
        return Reply(M.ERASE_DONE.format(rows=done.total, phone=ctx.settings.desk.duty_phone))


def _asked_just_before(msg: Inbound, ctx: Context) -> bool:
    """A live request, and the resident's previous message was that request ("anything else cancels")."""
    state = ctx.session.scalar(select(ConversationState).where(
        ConversationState.open_id == msg.open_id, ConversationState.kind == STATE))
    if state is None or state.expires_at <= ctx.now():
        return False
    previous = ctx.session.scalar(select(InboundMessage.decision).where(
        InboundMessage.open_id == msg.open_id, InboundMessage.id != ctx.record_id)
        .order_by(InboundMessage.id.desc()).limit(1))
    return previous == "erase:ask"
