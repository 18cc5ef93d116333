"""`绑定 123456`: a staff member binds their WeChat account with a one-time code from the console."""
from __future__ import annotations

import re

from sqlalchemy import select

from bot.db.models import Staff
from bot.domain import Inbound, Reply
from bot.pipeline import Context

PATTERN = re.compile(r"^\s*绑定\s*[:：]?\s*(\d{6})\s*$")
BOUND = "绑定成功！{name}，您好。以后新工单和提醒会发到这个微信，您也可以直接在这里回复工单（如“#12 您好，已处理”）。"
INVALID = "绑定码无效或已过期，请在管理后台重新生成绑定码后再发送。"
TAKEN = "这个微信已经绑定了工作人员“{name}”，如需更换请联系管理员先解除绑定。"


class Bind:
    name = "bind"

    def check(self, msg: Inbound, ctx: Context):
        if msg.kind != "text":
            return None
        m = PATTERN.match(msg.text or "")
        return m.group(1) if m else None

    def handle(self, msg: Inbound, ctx: Context, code: str) -> Reply:
        """Bind the sender's open_id to the staff member holding this unexpired code."""
        ctx.notes["decision"] = "bind"
        now = ctx.now()
        staff = ctx.session.scalar(select(Staff).where(Staff.bind_code == code, Staff.active.is_(True)))
        if staff is None or staff.bind_code_expires is None or staff.bind_code_expires < now:
            return Reply(INVALID)
        other = ctx.session.scalar(select(Staff).where(Staff.open_id == msg.open_id, Staff.id != staff.id))
        if other is not None:
            return Reply(TAKEN.format(name=other.name))
        staff.open_id = msg.open_id
        staff.bind_code = None
        staff.bind_code_expires = None
        return Reply(BOUND.format(name=staff.name))
