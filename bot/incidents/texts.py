"""Every text residents and staff read about incidents, in one place so they can be reviewed together."""
from __future__ import annotations

STATUS_NAMES = {"proposed": "待确认", "open": "处理中", "recovered": "已恢复", "closed": "已结束",
                "dismissed": "已忽略", "planned": "计划中"}
TIME_FORMAT = "%m月%d日 %H:%M"
SHORT_TIME = "%H:%M"

# ---- residents (passive replies) ------------------------------------------------------------
LATEST = ("【社区通报#I{id}】{title}\n最新情况（{at}）：{update}\n{expect}"
          "我们已把您加入通知名单，有新进展会第一时间告诉您，无需重复反映。")
EXPECT = "预计恢复时间：{at}。\n"
RECOVERED_REPLY = ("【社区通报#I{id}】{title}\n已于{at}恢复：{update}\n"
                   "如果您家里仍未恢复，请直接说明具体情况（例如“5号楼2单元601还是没水”），我们会安排人员处理。")
PLANNED_REPLY = ("【社区通知#I{id}】{title}\n时间：{start}至{end}\n{update}\n"
                 "我们已把您加入通知名单，如有变化会第一时间告诉您。")
PROPOSED_REPLY = ("您反映的情况我们已经收到。目前已有多位居民反映{place}{topic}方面的问题，值班工作人员正在核实处理，"
                  "处理进展会通过这个对话通知您，无需重复反映。如有急事请拨打社区值班电话{phone}。")

# ---- residents (the outbox: one message per update) -----------------------------------------
TO_AUDIENCE = {
    "opened": "【社区通报#I{id}】{title}\n{text}\n（{at}）{expect}您反映的情况我们已确认并正在处理，有新进展会第一时间通知您。{ticket}",
    "update": "【社区通报#I{id} 最新进展】{title}\n{text}\n（{at}）{expect}",
    "recovered": ("【社区通报#I{id} 已恢复】{title}\n{text}\n（{at}）{ticket}感谢您的耐心等待！"
                  "请为本次处理评分：回复数字1-5（5分为非常满意）。如果您家里仍未恢复，请直接告诉我们具体情况。"),
    "closed": "【社区通报#I{id} 已结束】{title}\n{text}\n（{at}）{ticket}如还有其他问题，欢迎随时留言。",
}
EXPECT_INLINE = "预计恢复时间：{at}。"
TICKET_MERGED = "您的工单#{ticket}已并入此通报统一处理。"
TICKET_CLOSED = "您的工单#{ticket}已同时办结。"
DISMISSED_TO_RESIDENT = ("您之前反映的情况（“{text}”）已登记为工单#{ticket}，由值班工作人员{assignee}单独处理，"
                         "答复会直接发到这个对话里。")
RATING_THANKS = "感谢您的评价（{stars}分）！如还有其他问题，欢迎随时留言。"
RATING_SORRY = "很抱歉这次没能让您满意，我们已把您的评价转告社区负责人。如家里仍有问题，请直接说明具体情况。"
MY_INCIDENTS = "您关注的社区通报："
MY_INCIDENT_LINE = "#I{id} {title}（{status}，{at}更新）"

# ---- staff ----------------------------------------------------------------------------------
PROPOSAL = ("【疑似同一事件 #I{id}】{minutes}分钟内已有{n}位居民反映{place}{topic}问题：\n{lines}\n"
            "确认并通知居民：回复“确认 #I{id}”，或“通报 #I{id} 情况说明”（例如：通报 #I{id} 正在抢修，预计18:00恢复）。\n"
            "不是同一件事：回复“#I{id} 忽略”。确认前，后续同类反映会自动归入，不再逐条通知您。")
PROPOSAL_LINE = "· {at} {resident}：{text}{ticket}"
PROPOSAL_TICKET = "（工单#{id}）"
OPENED_ACK = ("已发布通报#I{id}：{title}（{place}·{topic}，处理中）。{linked}已通知{n}位居民。{unreachable}\n"
              "更新：通报 #I{id} 最新情况；恢复：通报 #I{id} 已恢复；移除误关联：通报 #I{id} 移除 #工单号。")
LINKED = "已关联{k}条居民反映：{items}。"
LINKED_NONE = "暂无关联的居民反映。"
LINKED_ITEM_TICKET = "工单#{id}"
LINKED_ITEM_MESSAGE = "{n}条留言"
UNREACHABLE = "另有{u}位居民已超过48小时未互动（或可推送条数已用完），这条通报会在他们下次留言时一并告知。"
UPDATE_ACK = "已更新通报#I{id}（{status}），已通知{n}位居民。{unreachable}"
RECOVERED_ACK = "通报#I{id}已标记为已恢复，已通知{n}位居民，关联的{k}个工单已办结。{unreachable}"
CLOSED_ACK = "通报#I{id}已结束，已通知{n}位居民，关联的{k}个工单已办结。{unreachable}"
DISMISSED_ACK = "已忽略#I{id}。{k}条反映已分别登记为工单{items}，按普通工单处理。"
UNLINKED_ACK = "已将工单#{ticket}移出通报#I{id}，恢复为普通工单（负责人：{assignee}），居民之后不再收到此通报的消息。"
UNLINK_NOT_FOUND = "工单#{ticket}没有关联到通报#I{id}。"
NOT_FOUND = "没有找到通报#I{id}。发送“通报列表”查看进行中的通报。"
FINISHED = "通报#I{id}{status}，不能再更新。如有新情况请发布新的通报。"
NOT_PROPOSED = "#I{id}已经{status}，无需再确认。"
EMPTY_TEXT = "请在“通报”后面写上情况说明，例如：通报 5号楼暖气故障，热力公司正在抢修，预计18:00恢复"
LIST_HEADER = "进行中的通报："
LIST_LINE = "#I{id} {title}（{status}，{n}位居民关注）"
LIST_NONE = "目前没有进行中的通报。发送“通报 帮助”查看用法。"
LIST_FOOTER = "发送“通报 帮助”查看全部用法。"
HELP = ("通报用法：\n"
        "通报 5号楼暖气故障，热力公司正在抢修，预计18:00恢复 —— 发布新通报并通知已反映的居民\n"
        "通报 #I3 预计推迟到20:00 —— 更新进展\n"
        "通报 #I3 已恢复 —— 恢复，通知居民并办结关联工单\n"
        "通报 #I3 结束 —— 结束（不再自动答复居民）\n"
        "通报 #I3 移除 #12 —— 把误关联的工单移出\n"
        "确认 #I3 / #I3 忽略 —— 处理系统提出的疑似同一事件\n"
        "预告 12月3日8:00-18:00 5号楼停水，管道检修 —— 登记计划停水/停电通知\n"
        "通报列表 —— 查看进行中的通报")
PLANNED_ACK = ("已登记计划通知#I{id}：{title}（{place}，{start}至{end}）。从现在到结束，居民询问相关问题会自动收到这条通知；"
               "有变化请发送“通报 #I{id} 新情况”，提前结束请发送“通报 #I{id} 结束”。")
PLANNED_HELP = "预告用法：预告 12月3日8:00-18:00 5号楼停水，自来水公司管道检修（时间请写成“日期 开始-结束”）。"
REMIND_EXPECTED = ("【通报#I{id} 提醒】{title}：原预计{expected}恢复，已超时{minutes}分钟，{n}位居民在等待消息。"
                   "请发送“通报 #I{id} 最新情况”告知居民；如已恢复请发送“通报 #I{id} 已恢复”。")
CONFIRM_DEFAULT = "我们已收到多位居民反映{place}{topic}问题，值班工作人员正在核实处理。"
PROPOSAL_TITLE = "{place}{topic}问题（居民反映）"
REPORT_FIGURES = "社区通报 {n} 个，归入通报的居民反映 {linked} 条，首次通报用时中位数：{median}；"
