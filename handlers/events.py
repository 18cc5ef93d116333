"""WeChat events: subscribe gets a welcome; menu clicks; the rest need no reply."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context

WELCOME = (
    "您好，欢迎关注{desk}！\n"
    "这里24小时有人值守，您可以直接发文字或语音提问：\n"
    "· 办事指南：开证明、低保、医保、居住证等；\n"
    "· 报修、求助、邻里纠纷、意见建议；\n"
    "· 发送“我的工单”可查询办理进度。\n"
    "常见问题机器人会立即回答，其他问题会转给今天的值班工作人员。"
    "紧急情况请直接拨打110/119/120或社区值班电话{phone}。"
)

CLICK_REPLIES = {
    "MENU_HELP": WELCOME,
    "MENU_MY_TICKETS": "请直接发送“我的工单”查看您提交的问题和办理进度。",
    "MENU_CONTACT": "社区值班电话：{phone}（24小时）。也可以直接在这里留言，值班人员会尽快回复。",
}

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
            return Reply(WELCOME.format(**fmt))
        if msg.event == "click" and msg.event_key in CLICK_REPLIES:
            return Reply(CLICK_REPLIES[msg.event_key].format(**fmt))
        return Reply("")  # nothing to say: answer "success"
