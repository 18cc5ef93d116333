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

ASK_WORDS = re.compile(r"^(请)?(帮我)?(删除|清除|注销)(我的)?(个人)?(信息|资料|数据|记录)$")
CONFIRM = "确认删除"
STATE = "erase"
TTL_MINUTES = 10
ASK = ("您要删除您在本平台留下的个人信息吗？删除后：您的姓名、电话、住址、聊天记录和位置都会被清除；"
       "您提交过的工单只保留不含个人信息的办理记录（社区工作台账需要）；尚未办结的工单会被撤回，"
       "工作人员将无法再答复您。\n确认请在10分钟内回复“确认删除”，回复其他内容即取消。")
DONE = ("您的个人信息已删除（共清除或匿名{rows}条记录）。以后如再留言，我们会当作新的咨询处理。"
        "如有急事请拨打社区值班电话{phone}。")
NOTHING = "没有需要确认的删除请求。如需删除您的个人信息，请发送“删除我的信息”。"


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
            return Reply(ASK)
        ctx.session.execute(delete(ConversationState).where(
            ConversationState.open_id == msg.open_id, ConversationState.kind == STATE))
        if action == "nothing":
            return Reply(NOTHING)
        done = erase_resident(ctx.session, ctx.services, msg.open_id, ctx.now())
        return Reply(DONE.format(rows=done.total, phone=ctx.settings.desk.duty_phone))


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
