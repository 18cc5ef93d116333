"""WeChat events: subscribe gets a welcome; menu clicks; the rest need no reply."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M


SILENT_EVENTS = {"unsubscribe", "view", "location", "templatesendjobfinish", "scancode_push",
                 "scancode_waitmsg", "pic_sysphoto", "pic_photo_or_album", "pic_weixin",
                 "location_select", "masssendjobfinish"}


class Events:
    name = "events"

    def check(self, msg: Inbound, ctx: Context):
        return msg.kind == "event" or None

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        fmt = {"desk": ctx.settings.desk.name, "phone": ctx.settings.desk.duty_phone}
        ctx.decision = f"event:{msg.event or 'unknown'}"
        if msg.event in ("subscribe", "subscribe_scan", "scan"):
            return Reply(M.WELCOME.format(**fmt))
        if msg.event == "click" and msg.event_key in M.CLICK_REPLIES:
            return Reply(M.CLICK_REPLIES[msg.event_key].format(**fmt))
        return Reply("")  # nothing to say: answer "success"
