"""Last handler: acknowledge anything nobody else answered (never leave a resident unanswered)."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context

RECEIVED = "您的消息我们已收到，值班工作人员会尽快回复您。如有急事请拨打社区值班电话{phone}。"
UNSUPPORTED = "抱歉，暂时无法识别这类消息。请用文字或语音描述您的问题，我们会尽快为您处理。"


class Fallback:
    name = "fallback"

    def check(self, msg: Inbound, ctx: Context):
        return True

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        if ctx.decision is None:
            ctx.decision = "received"
        if msg.kind == "unknown":
            return Reply(UNSUPPORTED)
        return Reply(RECEIVED.format(phone=ctx.settings.desk.duty_phone))
