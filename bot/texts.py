"""Every text residents and staff read, in one place so they can be reviewed together.

The label table comes first: one Chinese name for each category, priority, status, escalation step and
ticket event, whatever the place that shows it (WeChat replies and notices, reminders, digests, the daily
report, the console and its exports). tests/test_labels.py renders every status and priority in each
place and finds one name each.
"""
from __future__ import annotations

# ---- the label table -----------------------------------------------------------------------
CATEGORY_NAMES = {
    "consult": "政策咨询", "certificate": "开具证明", "repair": "报修", "dispute": "邻里纠纷",
    "complaint": "投诉", "aid": "求助", "activity": "社区活动", "suggestion": "意见建议",
    "urgent": "紧急求助", "other": "其他",
}
PRIORITY_NAMES = {"urgent": "紧急", "high": "较急", "normal": "一般", "low": "不急"}
STATUS_NAMES = {"open": "处理中", "answered": "已答复", "closed": "已办结", "cancelled": "已撤回"}
# Console roles (Staff.role): the console's user and staff pages, the simulator and the WeChat notices
# that name a lead (通知负责人) all use these words.
ROLE_NAMES = {"admin": "管理员", "lead": "负责人", "staff": "工作人员"}
# A ticket past its escalation deadline: the console's filter and tag, the leads' overdue digest, the report.
OVERDUE = "逾期"
URGENT_MARK = "【" + PRIORITY_NAMES["urgent"] + "】"  # an urgent ticket's line in digests and reports
# Escalation steps (config escalation.<priority>[].action): the daily report and the console's history.
ACTION_NAMES = {"remind_assignee": "提醒处理人", "reassign_other": "转派", "notify_on_duty": "通知值班人员",
                "notify_lead": "通知" + ROLE_NAMES["lead"], "notify_all_staff": "通知全体工作人员"}
# The console's ticket history: event kinds, the fields they carry, and coded values of those fields.
EVENT_NAMES = {
    "opened": "创建工单", "assigned": "分配", "answered": "答复", "taken": "接单", "transferred": "转交",
    "closed": "关闭", "cancelled": "居民撤回", "rated": "评价", "reopened": "重新打开", "followup": "居民追问",
    "faq_proposed": "申请入库", "unreachable": "无法送达", "escalation": "超时升级", "dissatisfied": "不满意",
    "asked": "向居民提问", "unsorted": "居民新消息（待确认是否补充）", "contact": "居民留联系方式",
    "contact_asked": "询问居民住址电话", "acknowledged": "居民致谢/问候",
}
EVENT_FIELDS = {"text": "内容", "to": "转给", "previous": "原处理人", "why": "原因", "reason": "原因",
                "category": "类别", "priority": "优先级", "stars": "评分", "step": "步骤", "action": "动作",
                "draft_id": "草稿编号"}
REASON_NAMES = {"staff_reopened": "工作人员重新打开", "least_loaded": "按工作量分配", "asked_for_person": "居民要求转人工",
                "handoff": "知识库无法回答", "dissatisfied": "居民不满意"}
EVENT_STEP = "第{n}级提醒"
# Why the bot handed a message on, in words (the matcher's guards).
GUARD_NAMES = {"action": "居民要求派人或上门处理", "personal": "询问个人办件进度", "complaint": "居民投诉",
               "suggestion": "居民提意见建议", "caution": "可能紧急，交值班人员判断", "urgent": "紧急情况"}
GUARD_OTHER = "需要工作人员处理"
ACTOR_NAMES = {"resident": "居民", "system": "系统", "scheduler": "系统（超时提醒）"}

# What a resident may expect, by priority (the escalation ladder makes sure of it).
EXPECT = {
    "urgent": "值班人员会立即与您联系",
    "high": "一般30分钟内回复您",
    "normal": "一般1小时内回复您",
    "low": "我们会在今天之内回复您",
}

# ---- residents -----------------------------------------------------------------------------
TICKET_ACK = (
    "您的问题已登记为工单#{id}（{category}），由今天的值班工作人员{assignee}负责，{expect}。"
    "答复会直接发到这个对话里，发送“查询 {id}”可以随时查看进度。"
    "如有急事请拨打社区值班电话{phone}。"
)
TICKET_ACK_NOBODY = (
    "您的问题已登记为工单#{id}（{category}），我们已通知社区负责人尽快安排人员处理，{expect}。"
    "答复会直接发到这个对话里，发送“查询 {id}”可以随时查看进度。"
    "如有急事请拨打社区值班电话{phone}。"
)
ANSWER_TO_RESIDENT = (
    "【工单#{id} 答复】{staff}：\n{text}\n\n"
    "请为本次答复评分：回复数字1-5（5分为非常满意），或回复“满意”/“不满意”。"
)
TAKEN_TO_RESIDENT = "您的工单#{id}已由工作人员{staff}接手处理，请稍候，我们会尽快答复您。"
CLOSED_TO_RESIDENT = "您的工单#{id}已办结，感谢您的耐心。如还有其他问题，欢迎随时留言。"
FOLLOWUP_ACK = "已将您补充的内容加入工单#{id}，{assignee}会一并处理，请耐心等候。"
FOLLOWUP_ACK_NOBODY = "已将您补充的内容加入工单#{id}，值班工作人员会一并处理，请耐心等候。"
FOLLOWUP_ACK_URGENT = (
    "已将您补充的内容加入紧急工单#{id}，正在再次通知所有值班工作人员立即处理。"
    "如有生命危险请立即拨打：火警119、急救120、报警110；社区值班电话{phone}（24小时）。"
)
HUMAN_ACK = "好的，已为您转人工：工单#{id}已提醒{assignee}尽快回复您。如有急事请拨打社区值班电话{phone}。"
THANKS_REPLY = "不客气，很高兴能帮到您！如还有其他问题，欢迎随时留言。"
GREETING_REPLY = (
    "您好！请直接说明您要咨询或办理的事情，比如“怎么开居住证明”“楼道灯坏了”，我们会马上为您处理。"
    "需要人工请回复“转人工”。"
)
RATING_THANKS = "感谢您的评价（{stars}分）！如还有其他问题，欢迎随时留言。"
RATING_SORRY = (
    "很抱歉这次的答复没能让您满意。工单#{id}已重新打开，并已告知社区负责人，"
    "我们会尽快重新为您处理。"
)
MY_TICKETS_HEADER = "您最近的工单："
MY_TICKETS_LINE = "#{id} {subject}（{status}，{assignee}）"
MY_TICKETS_NONE = "您目前没有提交过工单。有问题可以直接在这里留言，我们会尽快回复您。"
MY_TICKETS_FOOTER = "发送“查询 工单号”查看详情，发送“取消 工单号”可撤回尚未办结的工单。"
TICKET_STATUS = "工单#{id}：{subject}\n状态：{status}\n负责人：{assignee}\n提交时间：{created}"
TICKET_STATUS_ANSWER = "\n最近答复：{answer}"
TICKET_NOT_FOUND = "没有找到您的工单#{id}，请核对工单号。发送“我的工单”可以查看您提交过的工单。"
CANCELLED_TO_RESIDENT = "工单#{id}已为您撤回。如还有其他问题，欢迎随时留言。"
CANNOT_CANCEL = "工单#{id}{status}，无需再次撤回。"
NOBODY = "值班工作人员"

CAUTION_REPLY = (
    "您说的情况我们已立即转给值班工作人员优先处理（工单#{id}），他们会尽快与您联系。\n"
    "如果有人受伤、有烟有火、有燃气味，或者危险正在发生，请马上拨打：火警119、急救120、报警110；"
    "社区值班电话{phone}（24小时）。\n请告诉我们具体位置（几号楼几单元几室，或小区里的哪个地方），方便我们尽快找到您。"
)
URGENT_REPLY = (
    "【紧急】您的情况我们已收到，已立即通知所有值班工作人员和社区负责人（工单#{id}）。\n"
    "{guidance}\n"
    "如有生命危险请立即拨打：火警119、急救120、报警110；社区值班电话{phone}（24小时）。"
)
# Safety advice by the situation the safety net recognises (knowledge_base/understanding.py).
URGENT_GUIDANCE = {
    "gas": "请不要开灯、不要开关任何电器，也不要在屋里打电话或点火；立即打开门窗通风，能做到就关闭燃气总阀，"
           "所有人迅速离开到室外，再拨打119或燃气公司抢修电话。",
    "fire": "请立即撤离，用湿毛巾捂住口鼻、弯腰沿楼梯往下走，千万不要乘电梯，不要返回拿东西；马上拨打119说清楼栋和位置；"
            "电动车、电池着火不要靠近，油锅起火用锅盖盖住、不要泼水。",
    "co": "这可能是一氧化碳中毒：请立刻打开门窗，关掉炉子、热水器或燃气，把所有人带到室外空气新鲜的地方，"
          "不要在屋里开关电器或点火；有人昏迷、呕吐或叫不醒，马上拨打120。",
    "water": "请先关闭入户总水阀；水流到灯具、插座或电器附近时，站在干燥的地方拉下电闸，不要碰开关和电器；"
             "把电器和贵重物品移到高处，并通知楼上住户和物业抢修。",
    "medical": "请立即拨打120，说清小区、楼栋和单元，并安排人到楼下接救护车；不要随意搬动病人，不要喂水喂食，"
               "记下发病时间；没有呼吸时开始做心肺复苏，噎住用海姆立克急救法，出血用干净布用力按压止血。",
    "missing": "请马上拨打110报警（报警不用等24小时），准备好照片、穿着和最后出现的时间地点，并请一个人留在家里等消息。",
    "self_harm": "请马上拨打110和120，尽量让人陪在他身边，用平和的语气和他说话，不要刺激、指责或强行拉扯，"
                 "把刀、药等危险物品拿开；也可以拨打心理援助热线12356。",
    "child_danger": "请马上有人赶到孩子身边，从后面轻轻抱住孩子，不要在楼下大喊惊吓孩子；家里没大人、门打不开时"
                    "立即拨打119和110，楼下的人先清开下方。",
    "elevator": "被困时请保持冷静，按电梯里的警铃或拨打轿厢内的救援电话（或96333），不要扒门、不要试图从顶上爬出去；"
                "外面的人请拨打119并通知物业。",
    "violence": "请先保护好自己，远离持刀或持械的人，不要上前硬拦；立即拨打110说清楼栋和人数，有人受伤同时拨打120；"
                "遇到家暴可以躲进能反锁的房间报警。",
    "falling": "请立即远离危险区域，提醒路人、孩子绕行，不要在下方停留或停车；有人被砸伤马上拨打120，"
               "墙体、广告牌、脚手架或大树要倒请拨打119。",
    "live_wire": "请离断落的电线8到10米以外，千万不要靠近或用手、树枝去碰，也别让孩子和宠物过去；立即拨打110或"
                 "供电服务热线95598；有人触电先想办法断电或用干燥木棍挑开电线，不要直接用手拉人。",
    "manhole": "请看住井口不要让人靠近，用醒目的东西围挡并提醒行人；有人掉下去千万不要贸然下井救人（井下可能有毒气），"
               "立即拨打119和120。",
    "elder_alone": "请马上拨打110并联系老人的家属；如果闻到异味、听到屋里有呻吟或动静，请告诉民警和消防由他们破门处置，"
                   "不要自己硬闯；老人有不适马上拨打120。",
    "dog_attack": "请立刻远离那条狗，护住头和脖子，不要转身狂奔；伤口马上用肥皂水和流动清水交替冲洗15分钟，"
                  "尽快到狂犬病暴露处置门诊打疫苗，伤得重拨打120，伤人的狗请拨打110处理。",
    "general": "请先确保自身和家人的安全，情况危急请立即拨打相应的紧急电话。",
}
# Fragments staff see in notifications and details.
RESIDENT_ADDRESS = ("{}栋", "{}单元", "{}室")  # building, unit, room; empty parts left out
RESIDENT_PHONE = "电话{phone}"
RESIDENT_WECHAT = "微信尾号{tail}"
PHONE_UNKNOWN = "未登记"
NOTHING_YET = "（暂无）"
DATE_FORMAT = "%m月%d日 %H:%M"
UNREACHABLE_NOTE = "居民已超过48小时未互动，无法推送，请电话联系"
UNREACHABLE_FLAG = "（" + UNREACHABLE_NOTE + "）"
# Template message (outside the 48-hour window, when outbox.template_id is configured).
TEMPLATE_FIRST = "您好，社区工作人员回复了您的问题"
TEMPLATE_FIRST_STAFF = "您有一条新的工单通知"
TEMPLATE_REMARK = "详情请进入公众号对话查看，如有疑问请拨打社区值班电话。"

# ---- staff ---------------------------------------------------------------------------------
NEW_TICKET_TO_STAFF = (
    "【新工单#{id}】{category}·{priority}\n居民：{resident}\n问题：{subject}\n{history}\n"
    "答复方法：发送“#{id} 答复内容”直接回复居民；“接单 {id}”表示已在处理；"
    "“#{id} 转 姓名”转给同事；“#{id} 关闭”结单。"
)
URGENT_TO_STAFF = (
    "【紧急工单#{id}】请立即处理！\n居民：{resident}\n内容：{subject}\n"
    "请马上电话或上门联系居民，处理后发送“#{id} 答复内容”回复居民。负责人：{assignee}。"
)
CAUTION_TO_STAFF = (
    "【可能紧急·工单#{id}】居民描述的情况可能有危险，请尽快电话或上门确认。\n居民：{resident}\n内容：{subject}\n"
    "确认后发送“#{id} 答复内容”回复居民。负责人：{assignee}。"
)
HISTORY_NONE = "历史：该居民此前没有工单。"
HISTORY_ITEM = "#{id} {subject}（{status}）"
HISTORY_LINE = "历史：该居民此前有{count}个工单，最近：{items}"
FOLLOWUP_TO_STAFF = "【工单#{id} 居民补充】{text}\n发送“#{id} 答复内容”回复居民。"
HUMAN_TO_STAFF = "【工单#{id} 居民要求人工】居民希望尽快与工作人员沟通，请发送“#{id} 答复内容”回复居民。"
# What a transfer tells the new holder (bot/tickets/transfer_notice.py), and the duty pair when an
# urgent ticket goes to someone off duty; {mark} is PRIORITY_NAMES["urgent"] for an urgent ticket.
TRANSFER_HEAD = "【{mark}工单#{id} 转交给您】{by}把工单转给了您。"
TRANSFER_CATEGORY = "类别：{category}·{priority}"
TRANSFER_QUESTION = "问题：{subject}"
TRANSFER_FOLLOWUP = "居民补充：{text}"
URGENT_TRANSFER_TO_PAIR = ("【" + PRIORITY_NAMES["urgent"] + "工单#{id}】{by}已把工单转给{to}（今天不在值班）。"
                           "在有人接单之前，仍请值班人员跟进并电话联系居民。\n问题：{subject}\n{how}")
CANCELLED_TO_STAFF = "【工单#{id} 已撤回】居民撤回了这个工单，无需再处理。"
REOPENED_TO_STAFF = (
    "【工单#{id} 居民不满意】居民评了{stars}分，工单已重新打开。\n问题：{subject}\n"
    "上次答复：{answer}\n负责人：{assignee}，请尽快跟进。"
)
UNREACHABLE_TO_STAFF = "【工单#{id}】" + UNREACHABLE_NOTE + "。居民电话：{phone}。未送达的答复：{text}"

GAVE_UP_TO_STAFF = "【工单#{id}】给居民的消息多次发送失败，请电话联系居民（电话：{phone}）。未送达的内容：{text}"
ANSWER_SENT = "已把您的答复发送给居民（工单#{id}）。"
ANSWER_SENT_UNREACHABLE = (
    "已记录您的答复（工单#{id}），但" + UNREACHABLE_NOTE + "（电话：{phone}）。"
)
TAKEN = "您已接单：工单#{id}。请尽快发送“#{id} 答复内容”回复居民。"
CLOSED = "工单#{id}已关闭。"
TRANSFERRED = "工单#{id}已转给{to}，已通知对方。"
FAQ_PROPOSED = "已把工单#{id}的问题和答复提交为常见问题草稿（草稿#{draft}），等待管理员审核。"
FAQ_NEEDS_ANSWER = "工单#{id}还没有答复，请先答复居民，再发送“#{id} 入库”。"
STAFF_TICKET_NOT_FOUND = "没有找到工单#{id}，请核对工单号。发送“待办”可查看您的工单。"
STAFF_TICKET_FINISHED = "工单#{id}{status}，无法再操作。"
STAFF_UNKNOWN = "没有找到名为“{name}”的工作人员，请核对姓名。"
STAFF_SAME = "工单#{id}已经由{name}负责了。"
TODO_HEADER = "您的待办工单（{count}个）："
TODO_LINE = "#{id} [{priority}] {subject}（{status}，{waiting}）"
TODO_WAITING = "居民已等{minutes}分钟"
TODO_NOT_WAITING = "等居民回复"
TODO_NONE = "您目前没有待办工单。"
TODO_UNASSIGNED = "另有{count}个工单尚未分配：{ids}"
DUTY_PERSON = "{name}（{phone}）"
DUTY_TODAY = "今天值班：{names}。社区值班电话：{phone}。"
DUTY_NOBODY = "今天还没有安排值班人员，请联系社区负责人。"
STAFF_TICKET_DETAIL = (
    "工单#{id}：{subject}\n类别：{category}·{priority}\n状态：{status}\n负责人：{assignee}\n"
    "居民：{resident}\n最近答复：{answer}"
)
STAFF_HELP = (
    "工作人员指令：\n"
    "#12 答复内容 —— 把答复发给工单12的居民（带问号的话按提问处理，不请居民评分）\n"
    "#12 答复 内容 —— 明确作为最终答复发出，并请居民评分\n"
    "#12 问 内容 —— 向居民提问，居民的回复会转给您\n"
    "接单 12 —— 表示您在处理工单12\n"
    "#12 转 张三 —— 把工单转给同事\n"
    "#12 关闭 —— 结单（还没答复过居民时请写明原因：#12 关闭 原因）\n"
    "#12 入库 —— 把问答提交为常见问题草稿\n"
    "#12 —— 查看工单详情\n"
    "待办 —— 我的未结工单\n"
    "值班 —— 今天谁值班"
)

# ---- conversations and tickets that hold together (issue 13) --------------------------------
THREAD_ASK = "补充工单#{id}（{subject}），还是新问题？请回复“补充”或“新问题”。"
THREAD_ASK_UNCLEAR = "请回复“补充”（加到工单#{id}）或“新问题”（另行处理）。"
OPEN_TICKET_GREETING = "您好！您的工单#{id}正在处理中，有进展会第一时间在这里告诉您。如有新的问题，请直接说明。"
EMOJI_REPLY = "收到～如需补充工单或有新的问题，请直接用文字说明。"
HUMAN_NEEDS_QUESTION = "好的，马上为您转人工。请用一句话说明您要咨询或办理的事情，我们会直接转给值班工作人员。"
PICK_WITHOUT_MENU = "现在没有待选择的选项。请直接说明您要咨询或办理的事情，我们马上为您处理。"
SEVERAL_HEAD = "您的消息里有{count}件事，我们分别处理："
SEVERAL_ANSWER = "{n}. 关于“{text}”：{answer}"
SEVERAL_TICKET = "{n}. 关于“{text}”：{ack}"
SEVERAL_TAIL = "（如果答案没有解决您的问题，请回复“0”转人工。）"
# A staff message that asks the resident something: no rating is asked for.
QUESTION_TO_RESIDENT = "【工单#{id}】{staff}想向您了解：\n{text}\n\n请直接在这里回复，您的回复会转给{staff}。"
QUESTION_SENT = "已把您的问题发给居民（工单#{id}），居民回复后会转给您；这条不请居民评分。答复结束时请发送“#{id} 答复 内容”。"
REPLY_TO_STAFF_QUESTION = "【工单#{id} 居民回复您的提问】{text}\n居民：{resident}\n发送“#{id} 答复内容”回复居民。"
CLOSE_NEEDS_REASON = ("工单#{id}还没有答复居民，没有关闭。请发送“#{id} 关闭 原因”（例如“#{id} 关闭 已电话联系，问题已解决”），"
                      "原因会如实告诉居民；也可以先发送“#{id} 答复内容”。")
CLOSED_WITH_REASON_TO_RESIDENT = "您的工单#{id}已关闭。工作人员{staff}的说明：{reason}\n如还有问题，欢迎随时留言。"
NOT_SENT_TO_RESIDENT = "这条消息没有发给居民：{why}\n" + "如要把这段话发给居民，请发送“#{id} 答复 内容”。"
WHY_UNKNOWN_COLLEAGUE = "没有找到名为“{name}”的同事，无法转交。转交请发送“#{id} 转 姓名”（姓名须是系统里的工作人员）"
WHY_EMPTY_ANSWER = "“答复”后面没有内容"
WHY_UNKNOWN_COMMAND = "“{arg}”不是可用的指令"
# The contact card.
CONTACT_ASK = "为了方便工作人员上门或电话联系，请回复您的楼栋、单元、房号和联系电话（例如：3号楼2单元301，电话139xxxxxxxx），怎么称呼您也可以一并告诉我们。"
URGENT_WHERE = "请马上回复您的具体位置（几号楼几单元几室）和联系电话，我们立即赶到。"
CONTACT_SAVED = "谢谢，已记下：{card}。已转告负责工单#{id}的{assignee}。"
CONTACT_SAVED_PLAIN = "谢谢，已记下：{card}。"
CONTACT_TO_STAFF = "【工单#{id} 居民联系方式】{card}\n发送“#{id} 答复内容”回复居民。"
MY_INFO = ("您登记的信息：\n称呼：{name}\n住址：{address}\n电话：{phone}\n"
           "修改请发送“修改电话 139xxxxxxxx”“修改地址 3号楼2单元301”或“修改称呼 张女士”；删除请发送“删除我的信息”。")
MY_INFO_NONE = "未登记"
INFO_UPDATED = "已更新您的信息：{card}。"
INFO_NOT_UNDERSTOOD = "没有看懂要修改的内容，请这样发送：修改电话 13912345678、修改地址 3号楼2单元301、修改称呼 张女士。"
RESIDENT_LINE = "居民：{resident}"
# Answers the 48-hour window blocked.
ANSWER_DEFERRED = ("未送达：居民已超过48小时没有发消息，微信暂时不允许推送。居民再来消息时会自动补发；"
                   "急事请电话联系居民（{phone}）。（工单#{id}）")
DEFERRED_TO_STAFF = "【工单#{id}】给居民的消息" + ANSWER_DEFERRED[:3] + ANSWER_DEFERRED[3:-len("（工单#{id}）")] + "\n未送达的内容：{text}"
DEFERRED_DELIVERED_TO_STAFF = "【工单#{id}】居民刚才来消息了，之前未送达的答复已补发给居民。"
DEFERRED_SEPARATOR = "\n\n——————\n"
# Media staff can open.
MEDIA_LABELS = {"image": "图片", "voice": "语音", "video": "视频", "shortvideo": "小视频", "location": "位置"}
MEDIA_LINE = "[{label}] 查看：{url}"
VOICE_LINE = "[语音] 识别文字：{text}（原声：{url}）"
LOCATION_LINE = "[位置] {label}（{lat},{lon}）地图：{url}"
MAP_URL = "https://uri.amap.com/marker?position={lon},{lat}&name={label}"
FOLLOWUPS_HEADER = "居民补充："
HUMAN_QUESTION = "\n居民的问题：{text}"
HOW_TO_ANSWER = "请直接回复“#{id} 回复内容”答复居民，或发送“接单 {id}”接手处理。"

# ---- the scheduler's sweeps: reminders, digests, the daily report ------------------------------
UNASSIGNED = "未分配"
# A waiting time: '不到1分钟', '15分钟', '1小时5分钟', '2天3小时'.
WAIT_UNDER_A_MINUTE = "不到1分钟"
WAIT_DAYS, WAIT_HOURS, WAIT_MINUTES = "{}天", "{}小时", "{}分钟"
# Escalation steps (bot/sweeps/escalation_steps.py); {priority} is PRIORITY_NAMES'.
ESC_QUESTION = "居民问题：{subject}\n"
ESC_RESIDENT = "居民：{resident}\n"
ESC_AGAIN = "（第{n}次提醒）"
ESC_NO_HOLDER = "暂无"
ESC_NEWS_FOLLOWUP = "工单 #{id} 的居民刚刚又发来消息"
ESC_NEWS_WAITED = "工单 #{id} 已等待{waited}"
ESC_RESOLUTION = ("【办理提醒】您好，工单 #{id}（{priority}）已有人接单，但居民已等待{waited}，还没有收到答复{again}。\n"
                  "{question}处理好后请发送“#{id} 答复内容”告知居民。")
ESC_REMIND = "【待回复提醒】您好，工单 #{id}（{priority}）已等待{waited}，还没有回复{again}。\n{question}{how}"
ESC_REASSIGN = ("【工单转派】您好，工单 #{id}（{priority}）已等待{waited}，{holder}尚未回复，"
                "现转由您处理，辛苦了。\n{question}{how}")
ESC_ON_DUTY = "【紧急工单】{news}，还没有人接单{again}，需要立即处理！当前处理人：{holder}。\n{question}{how}"
ESC_ALL_STAFF = ("【紧急求助·全员】{news}，值班人员和负责人都还没有接单{again}。请能处理的同事立即电话联系居民，"
                 "并发送“接单 {id}”告知大家。\n{question}{how}")
ESC_LEAD_FOLLOWUP = ("【紧急工单通报】您好，{news}，已同时通知值班人员，当前处理人：{holder}。\n"
                     "{question}请关注处理进展；您也可以直接回复“#{id} 回复内容”答复居民。")
ESC_LEAD = ("【升级通知】您好，工单 #{id}（{priority}）已等待{waited}仍无人回复{again}，当前处理人：{holder}。\n"
            "{question}请督促处理；您也可以直接回复“#{id} 回复内容”答复居民。")
# The handover digest (bot/sweeps/handover.py); the open tickets are named by STATUS_NAMES["open"].
DIGEST_LINE = "{mark}#{id} {subject}（{holder}，已等{waited}）"
HANDOVER_HEAD = "【交班】{name}您好，{month}月{day}日的值班由您和{partner}负责，辛苦了。"
HANDOVER_NO_PARTNER = "（无）"
HANDOVER_NONE = "目前没有" + STATUS_NAMES["open"] + "的工单。"
HANDOVER_COUNT = "目前有 {count} 件" + STATUS_NAMES["open"] + "的工单（按等待时间从早到晚）："
HANDOVER_MORE = "【交班·续{n}/{parts}】"
HANDOVER_TAIL = "答复请发送“#工单号 回复内容”，接手请发送“接单 工单号”。"
REACH_WARNING = "【值班提醒】{warnings}。请电话提醒本人，或在管理后台为其绑定微信/企业微信。"
REACH_SEPARATOR = "；"
REACH_NO_CHANNEL = "{name}没有任何可用的通知渠道（未绑定微信、未配置企业微信），收不到工单通知"
REACH_WINDOW_ONLY = "{name}只能通过公众号客服消息接收通知，超过48小时未与公众号互动就收不到"
# The leads' overdue digest (bot/sweeps/backlog.py).
OVERDUE_MARK = "【" + OVERDUE + "】"
OVERDUE_HEAD = ("【" + OVERDUE + "工单日报】您好，目前有 {count} 件工单超时仍未处理（" + PRIORITY_NAMES["urgent"]
                + "在前，按等待时间排序）：")
OVERDUE_MORE = "【" + OVERDUE + "工单日报·续{n}】"
OVERDUE_TAIL = "请安排人员尽快处理；您也可以直接回复“#工单号 回复内容”答复居民。"
# The morning digest of notices held in quiet hours (bot/sweeps/morning.py, bot/sweeps/quiet.py).
MORNING_HEAD = "【夜间汇总】{name}您好，夜间{span}暂存了 {count} 条通知，现在一起发给您："
MORNING_SPAN = "（{start}–{end}）"
MORNING_ITEM = "{n}. {item}"
MORNING_MORE = "【夜间汇总·续{n}】"
MORNING_TAIL = "发送“待办”查看您的全部工单；答复请发送“#工单号 回复内容”。"
NOTICE_QUESTION_LINES = ("问题：", "居民问题：", "内容：")  # the line of a notice a digest item keeps
QUIET_EXPECT = "现在是夜间时段，会在{when}{clock}后处理"
QUIET_THIS_MORNING, QUIET_TOMORROW = "今早", "明早"
CLOCK_HOUR, CLOCK_MINUTE = "{}点", "{}分"
# The daily report to the leads (bot/sweeps/reports.py).
REPORT_HEAD = ("【值班日报】{desk} {month}月{day}日值班情况"
               "（{month}月{day}日{shift}至{end_month}月{end_day}日{shift}）：")
REPORT_MESSAGES = "居民消息 {messages} 条，机器人自动解答 {auto} 条（{share}）；"
REPORT_TICKETS = "新建工单 {opened} 件，办结 {closed} 件；"
REPORT_MEDIAN = "首次回复用时中位数：{median}；"
REPORT_ESCALATIONS = "超时升级 {escalations} 次；居民评价：{rating}。"
REPORT_RATING = "{count} 次，平均 {avg} 分"
REPORT_NONE = "暂无"
REPORT_NO_SHARE = "—"
REPORT_BACKLOG = "目前未办结工单 {open} 件（" + PRIORITY_NAMES["urgent"] + " {urgent} 件，" + OVERDUE + " {overdue} 件）"
REPORT_BACKLOG_MORE = "……另有 {more} 件，详见管理后台工单列表。"
REPORT_ESCALATED = "当日升级的工单：{items}{more}。"
REPORT_ESCALATED_ITEM = "#{id} {action}（共{n}次）"
REPORT_ESCALATED_MORE = "等 {count} 件"
LIST_SEPARATOR = "；"

# ---- the outbox: template messages, undelivered staff notices, delivery states -------------------
UNDELIVERED_TO_STAFF = ("【通知未送达】{name}（电话{phone}）没有收到下面这条通知：所有通知渠道都失败了。"
                        "请电话联系{name}，或由您代为处理：\n{text}")
URGENT_REACHED = "【工单#{id}】您的紧急情况已送达值班工作人员{staff}，我们会尽快与您联系。如有生命危险请先拨打119、120或110。"
DELIVERY_STATES = {"pending": "待发送", "sending": "发送中", "failed": "发送失败，稍后重试", "fallback": "已改用其他方式",
                   "held": "夜间暂存，早上汇总发送", "merged": "已并入早间汇总"}
DELIVERED_VIA = "已送达（{channel}）"
FORWARDED_TO = "；已转告{names}"
CHANNEL_NAMES = {"wecom_app": "企业微信应用消息", "wecom_robot": "企业微信值班群机器人", "template": "公众号模板消息",
                 "customer_service": "公众号客服消息", "local": "本地演示"}
NAME_SEPARATOR = "、"

# ---- the scheduler's summary of one round (`linli tick`) ----------------------------------------
TICK_STEP = "#{id} 第{step}步/{n}次 {action} → "
TICK_COVERED = "（开单时已通知，不重复发送）"
TICK_NOBODY = "无人可通知"
TICK_MOVED = "#{id} {before} → {after}"

# ---- the handlers' own replies (handlers/*.py, bot/conversation.py, bot/pipeline.py) ----------
# An FAQ answer's hint and the 'did you mean' menu (bot/conversation.py).
ANSWER_HINT = "\n\n（如果没有解决您的问题，请回复“0”转人工。）"
MENU_HEAD = "您是不是想问："
MENU_TAIL = "请回复序号查看答案；都不是请回复“0”，我们转给值班工作人员。"
# A pick after the menu expired (handlers/conversation.py).
MENU_EXPIRED = "刚才的选项已经过期了，请您重新描述一下问题，我们马上为您查找。"
# A handler raised: the resident's apology (bot/pipeline.py).
APOLOGY = "抱歉，系统刚才出了点小问题，您的消息已转给值班工作人员，我们会尽快回复您。如有急事请拨打社区值班电话{phone}。"
# Following the account, and the account menu's clicks by event key (handlers/events.py).
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
# A staff member binding their WeChat with a code from the console (handlers/bind.py).
BIND_BOUND = "绑定成功！{name}，您好。以后新工单和提醒会发到这个微信，您也可以直接在这里回复工单（如“#12 您好，已处理”）。"
BIND_INVALID = "绑定码无效或已过期，请在管理后台重新生成绑定码后再发送。"
BIND_TAKEN = "这个微信已经绑定了工作人员“{name}”，如需更换请联系管理员先解除绑定。"
BIND_TOO_MANY = "绑定码尝试次数过多，请稍后再试；如确需绑定，请联系管理员在后台重新生成绑定码。"
# A resident's own 删除我的信息 (handlers/erase_me.py).
ERASE_ASK = ("您要删除您在本平台留下的个人信息吗？删除后：您的姓名、电话、住址、聊天记录和位置都会被清除；"
             "您提交过的工单只保留不含个人信息的办理记录（社区工作台账需要）；尚未办结的工单会被撤回，"
             "工作人员将无法再答复您。\n确认请在10分钟内回复“确认删除”，回复其他内容即取消。")
ERASE_DONE = ("您的个人信息已删除（共清除或匿名{rows}条记录）。以后如再留言，我们会当作新的咨询处理。"
              "如有急事请拨打社区值班电话{phone}。")
ERASE_NOTHING = "没有需要确认的删除请求。如需删除您的个人信息，请发送“删除我的信息”。"
# A deactivated staff member's command (handlers/former_staff.py).
FORMER_STAFF_REPLY = ("您的工作人员账号已停用，这条工作指令没有执行，也不会作为居民留言处理。"
                      "如需恢复账号或交接工单，请联系社区管理员。")
# Many messages in a short time: one ticket, one staff notice, no ticket after ticket (handlers/flood.py).
FLOOD_JOINED = ("您的消息已收到，已记入工单#{id}。您短时间内发来的消息较多，我们已合并提醒值班工作人员统一查看，"
                "不必重复发送，请耐心等候答复。如有急事请拨打社区值班电话{phone}。")
FLOOD_TOO_MANY_TICKETS = ("您在{minutes}分钟内已提交了{count}个工单（{ids}），为避免重复，这条消息没有再新建工单。"
                          "发送“我的工单”可查看进度；如仍需人工帮助，请稍后再留言，急事请直接拨打社区值班电话{phone}。")
FLOOD_TO_STAFF = ("【工单#{id} 居民连续补充】居民短时间内发来了多条消息，已全部记入工单"
                  "（为免刷屏，{minutes}分钟内只提醒这一次）。最新一条：{text}\n"
                  "发送“#{id}”查看详情，或“#{id} 答复内容”回复居民。")
# Nothing else took the message (handlers/fallback.py).
FALLBACK_RECEIVED = "您的消息我们已收到，值班工作人员会尽快回复您。如有急事请拨打社区值班电话{phone}。"
FALLBACK_UNSUPPORTED = "抱歉，暂时无法识别这类消息。请用文字或语音描述您的问题，我们会尽快为您处理。"

# ---- the roster: staff notices and wording (bot/roster/notices.py, moves.py, changes.py) -------
# Swaps, leave and cancellations, told to the staff they touch (bot/roster/notices.py).
ROSTER_SWAP = "【换班】{day}的值班由{into}替{out}，已登记。如有变化请联系管理员。"
ROSTER_LEAVE = "【请假】{name}的请假已登记。"
ROSTER_LEAVE_NOTES = "值班调整：{notes}。"
ROSTER_CANCELLED = "【调整撤销】{what}已撤销，恢复原来的值班安排。请以值班表为准。"
# Who is on duty changed during a shift (bot/roster/moves.py); no partner is HANDOVER_NO_PARTNER.
DUTY_MOVED = "，{names}手上的 {count} 件工单已转给现在的值班人员"
DUTY_LEFT_UNNAMED = "原值班人员"
DUTY_STAND_IN = "【临时值班】{name}您好，{names}今天不再值班，从现在起由您和{partner}值班，辛苦了{moved}。"
DUTY_NEW_PARTNER = "【值班变更】{name}您好，今天和您一起值班的改为{partners}{moved}。"
DUTY_OFF = "【值班变更】{name}您好，您今天已不在值班中{moved}。谢谢！"
DUTY_OFF_MOVED = "，您手上的 {count} 件工单已转给现在的值班人员，无需再处理"
# A duty day, a recorded change and why one is refused (bot/roster/changes.py).
DAY_ZH = "{month}月{day}日（周{weekday}）"
ROSTER_UNKNOWN_STAFF = "找不到在职工作人员“{name}”"
ROSTER_BOTH_ON, ROSTER_BOTH_OFF = "都在", "都不在"
ROSTER_SWAP_REFUSED = "{day}{a}和{b}{both}值班，无法换班"
ROSTER_SWAP_REASON = "{out}与{into}换班"
ROSTER_SWAP_NOTE = "{day}：{into}替{out}值班"
ROSTER_BAD_LEAVE = "请假日期不正确（结束日不能早于开始日，且不超过一年）"
ROSTER_LEAVE_REASON = "请假"
ROSTER_LEAVE_REFUSED = "{name}的请假未登记：{why}"
ROSTER_STAND_IN_NOTE = "{day}：{substitute}顶替{absent}"
ROSTER_RELAXED = "（休息间隔不足）"
ROSTER_NO_DUTY_IN_LEAVE = "{name}在请假期间没有值班，无需调整"
ROSTER_DESCRIBE_LEAVE = "{staff}请假 {span}"
ROSTER_SPAN_TO = "至{day}"
ROSTER_DESCRIBE_SWAP = "{day}{other}替{staff}值班（换班）"
ROSTER_DESCRIBE_ASSIGN = "{day}指派{staff}替{other}值班"
ROSTER_NO_OVERRIDE = "找不到这项调整，可能已经撤销"
ROSTER_STARTED = "{what}已经开始，过去的值班记录不能更改；如需提前销假，请登记换班"
ROSTER_CANCEL_BREAKS = "不能撤销：{broken}"
ROSTER_CANCEL_MARK = "（{by}于{now:%Y-%m-%d}撤销）"
ROSTER_CANCELLED_NOTE = "{what}已撤销"

# ---- the console's messages (flash lines of bot/web/*.py pages) -------------------------------
# Tickets (bot/web/tickets.py).
WEB_TICKET_FINISHED = "工单 #{id} 已结束，不能再操作。"
WEB_CLOSE_NEEDS_REASON = "这张工单还没有答复过居民，不能直接关闭：请先答复，或填写关闭原因（原因会发给居民）。"
WEB_CLOSED = "工单已关闭，已告知居民"
WEB_CLOSED_WITH_REASON, WEB_CLOSED_END = "（附关闭原因）。", "。"
WEB_NOT_CLOSED = "工单 #{id} 没有关闭，无需重新打开。"
WEB_REOPENED = "工单 #{id} 已重新打开，请尽快处理。"
WEB_ANSWER_LENGTH = "请填写答复内容（1到{max}字）。"
WEB_ANSWER_SENT = "答复已发送给居民。"
WEB_TAKEN = "已接单。"
WEB_PICK_COLLEAGUE = "请选择一位在岗的同事。"
WEB_TRANSFERRED = "已转给{name}。"
WEB_PROPOSED = "已提交入库申请，等待管理员审核。"
WEB_PROPOSE_NEEDS_ANSWER = "请先答复工单，再申请入库。"
# Staff (bot/web/staff.py).
WEB_ROLE_INVALID = "角色无效。"
WEB_NOT_YOURSELF = "不能取消自己的管理员权限或停用自己。"
WEB_PHONE_INVALID = "电话号码格式不对：请填写11位手机号，或带区号的座机号（如 0371-12345678）。"
WEB_ROTA_CHANGED = "；值班表自{day}起调整，{days}天有变化，已通知{told}人"
WEB_NAME_NEEDED = "请填写姓名（不超过64个字）。"
WEB_NAME_TAKEN = "已有名为“{name}”的人员。"
WEB_NOT_SAVED = "未保存：{why}"
WEB_STAFF_ADDED = "已添加人员：{name}"
WEB_TICKETS_HANDED_ON = "；{count}张工单已交给同事"
WEB_STAFF_SAVED = "已保存：{name}"
WEB_BIND_CODE = "请{name}在{minutes}分钟内用自己的微信向公众号发送：绑定 {code}"
WEB_UNBOUND = "已解除{name}的微信绑定。"
# The roster (bot/web/roster.py): the actions, named in the {done} of the lines after them.
WEB_ROSTER_ACTIONS = {"cancel": "撤销", "swap": "换班", "leave": "请假"}
WEB_ROSTER_FAILED = "{done}失败：{why}"
WEB_ROSTER_RECORDED = "{done}已登记。"
WEB_ROSTER_UNPLANNABLE = "无法生成值班表：{why}"
WEB_ROSTER_PICK_DAY_KIND = "请选择“放假”“调休上班”或“恢复平常”。"
WEB_ROSTER_DAY_SAVED = "已保存：{reason}。值班表自{day}起{days}天有变化，已通知{told}人；已过去的日子不变。"
# Alerts and logging out (bot/web/alerts.py, bot/web/auth.py).
WEB_ALERT_ACKNOWLEDGED = "已确认：该提醒不再显示。"
WEB_LOGGED_OUT = "您已退出登录。"
# FAQ drafts and the learning loop (bot/web/learning.py, bot/web/faq.py), and what the proposer is told
# in WeChat (bot/web/learning_drafts.py).
WEB_FAQ_ID_TAKEN = "编号“{id}”已存在，请换一个。"
WEB_DRAFT_DONE = "这条草稿已经处理过了。"
WEB_DRAFT_FAILED = "入库失败：{why}"
WEB_DRAFT_APPROVED = "已入库为“{id}”，机器人几秒后即可回答；已告知提交人{name}。"
WEB_DRAFT_REJECTED = "已驳回这条草稿，已告知提交人{name}。"
DRAFT_SOURCE = "（来自工单#{id}）"
DRAFT_APPROVED_TO_STAFF = ("【入库结果】您提交的问答“{question}”{source}已通过审核，编号{faq_id}。"
                           "以后居民这样问，机器人会直接回答。谢谢您！")
DRAFT_REJECTED_TO_STAFF = "【入库结果】您提交的问答“{question}”{source}这次没有入库{why}。"
DRAFT_REJECTED_WHY = "，原因：{reason}"
# The FAQ pages and the import (bot/web/faq.py, bot/web/faq_files.py).
WEB_FAQ_NOT_SAVED = "保存失败：{problems}。"
WEB_FAQ_SAVED = "已保存。机器人会在几秒内使用新的答案。"
WEB_FAQ_ENABLED = "已启用。"
WEB_FAQ_DISABLED = "已停用，机器人不会再用这条回答。"
WEB_FAQ_RESTORE_FAILED = "恢复失败：{why}"
WEB_FAQ_RESTORED = "已恢复到第{version}版（作为新的一版保存）。"
WEB_IMPORT_NO_FILE = "请选择要导入的文件。"
WEB_IMPORT_FAILED = "{why}\n文件未导入，知识库没有任何改动。"
WEB_IMPORT_DONE = "导入成功：{report}。"
# The ticket queue's filters and scopes, and a resident's file that is not there yet (bot/web/tickets.py).
TICKET_FILTERS = {"mine": "我的", "on_duty": "今日值班", "urgent": PRIORITY_NAMES["urgent"], "overdue": OVERDUE}
TICKET_SCOPES = {"active": "未结", "closed": "已结", "all": "全部"}
MEDIA_NOT_READY = {"pending": "文件还在从微信下载，请稍后刷新。", "too_large": "文件超过大小上限，未保存，请联系居民另行发送。",
                   "failed": "文件无法从微信下载（可能已过期），请联系居民重新发送。"}
# The console's error pages: (title, text) by HTTP status (bot/web/errors.py).
ERROR_PAGES = {
    403: ("没有权限", "您的账号没有权限打开这个页面。如需使用，请联系社区管理员。"),
    404: ("页面不存在", "没有找到这个页面，可能链接已过期，或者您要找的工单、问答已被删除。"),
    500: ("系统出了点问题", "页面暂时无法显示，已记录错误。请稍后刷新重试；如果一直这样，请联系技术支持。"),
}
# A failed login, whatever the reason (bot/web/login.py).
LOGIN_FAILED = "登录未成功：用户名或密码不正确，或尝试过于频繁。请核对后稍等片刻再试。"
# An FAQ entry's fields and the kinds of its revisions (bot/web/faq_history.py).
FAQ_FIELD_NAMES = {"question": "问题", "alt_questions": "其他问法", "answer": "答案", "category": "分类",
                   "route": "工单类别", "tags": "标签", "enabled": "启用"}
FAQ_ACTION_NAMES = {"create": "新建", "edit": "修改", "import": "导入", "restore": "恢复旧版", "enable": "启用",
                    "disable": "停用"}
# Incidents in the console (bot/web/incidents.py).
WEB_INCIDENT_FINISHED = "通报 #I{id} {status}，不能再操作。"
WEB_INCIDENT_TEXT_LENGTH = "请填写通报内容（1到{max}字）。"
WEB_INCIDENT_UNREACHABLE = "另有{count}位居民超过48小时未互动，将在他们下次留言时告知。"
WEB_INCIDENT_SENT = "已发布，正在通知{count}位居民。{extra}"
WEB_INCIDENT_PLANNED_TIMES = "计划通知请填写开始和结束时间（结束要晚于开始）。"
WEB_INCIDENT_PLANNED = "计划通知已登记，居民询问时会自动收到。"
WEB_INCIDENT_CLOSE_TEXT = "结束"
WEB_INCIDENT_DISMISSED = "已忽略，{count}条反映已分别登记为工单。"
WEB_INCIDENT_UNLINKED = "已将工单#{id}移出本通报。"
WEB_INCIDENT_NOT_LINKED = "工单#{id}没有关联到本通报。"
# Why a staff edit changes the rota, as the rota's history names it (bot/web/staff_rota.py).
ROTA_WHY_NEW = "新增{name}"
ROTA_WHY_INACTIVE = "停用{name}"
ROTA_WHY_OUT = "{name}不再参加值班"
ROTA_WHY_NO_HOLIDAY, ROTA_WHY_HOLIDAY = "{name}改为节假日不排班", "{name}参加值班（含节假日）"
# The simulator's errors (bot/web/simulator.py).
SIM_HTTP_ERROR = "服务器返回 HTTP {status}"
SIM_TEXT_LENGTH = "请输入1到600个字的消息。"
# 试一试 on the FAQ page: why, and what the resident would receive (bot/web/faq.py); {top} etc. are shares.
TRY_GUARD = "这类留言不自动回答（{guard}），直接交给值班人员。"
TRY_HANDED_ON = "居民会收到工单号、负责的工作人员和预计答复时间。"
TRY_ANSWER = "最接近的问答把握{top:.0%}，达到自动回答线{answer_at:.0%}，且明显领先第二名。"
TRY_ANSWER_HINT = "（末尾附“回复0转人工”）"
TRY_MENU_ITEM = "{n}. {question}"
TRY_SUGGEST = "最接近的问答把握{top:.0%}，不到自动回答线{answer_at:.0%}，但超过菜单线{menu_at:.0%}。"
TRY_MENU = "“您是不是想问”菜单：{menu}；回复数字选择，回复0转人工。"
TRY_NOTHING = "没有足够接近的问答（最高把握{top:.0%}，低于菜单线{menu_at:.0%}），转人工。"
# An FAQ file that cannot be imported (bot/web/faq_files.py).
FAQ_FILE_NOT_UTF8 = "文件不是 UTF-8 编码的 YAML。"
FAQ_FILE_PROBLEMS = "文件有误，共{count}处："
FAQ_FILE_WRONG = "文件有误：{why}"
FAQ_FILE_KIND = "请上传 .yaml / .yml 或 .xlsx 文件。"
# The console's banner, dates, charts and password rule (duty_line, helpers, charts, passwords).
DUTY_LINE_NO_PHONE = "未登记电话"
DUTY_LINE_WHEN = "{month}月{day}日 {clock}"
DAY_OUT_OF_RANGE = "日期超出范围：请选择 2000 年至 2099 年之间的日期。"
CHART_NO_DATA = "暂无数据"
PASSWORD_TOO_SHORT = "密码至少需要{n}位"
# The dashboard's charts: titles, series and the charts' own labels (bot/web/dashboard.py).
CHART_TITLES = {"messages": "每日居民消息与机器人直接回答", "tickets": "每日新工单与超时升级", "categories": "工单类别分布",
                "response": "首次响应用时中位数（分钟）", "ratings": "居民评价"}
CHART_SERIES = {"messages": "居民消息", "answered": "机器人直接回答", "opened": "新工单", "escalations": "升级提醒",
                "median": "中位数（分钟）"}
CHART_LABELS = {"messages": "每日消息", "tickets": "每日工单", "response": "首次响应用时"}
CHART_STARS = "{n}星"
# The first-run checklist: (title, what to do, button) per step (bot/web/checklist.py).
CHECKLIST = {
    "faq": ("导入本社区的问答", "把示例问答换成本社区的真实政策和办事指南（可用 Excel 导入）。", "导入知识库"),
    "staff": ("添加工作人员并绑定微信", "已有{staff}位工作人员，{bound}位绑定了微信；没绑定的人收不到工单通知。", "管理人员"),
    "rota": ("核对值班表", "看看未来几周谁值班，登记已知的换班、请假和节假日。", "查看值班表"),
    "wechat": ("在微信公众平台填写服务器地址",
               "服务器地址填 https://{host}/wechat（需 HTTPS），Token 和 EncodingAESKey 与配置一致。", "打开公众平台"),
}
# Small console words: yes/no in FAQ history, the whole estate as an incident place, the roster's week
# header, the FAQ export's file name, the simulator's identities (faq_history, incidents, roster, faq_files,
# simulator).
YES, NO = "是", "否"
WHOLE_ESTATE = "全小区"
WEEK_HEAD = "一二三四五六日"
FAQ_EXPORT_NAME = "社区问答-{stamp}.xlsx"
SIM_RESIDENT = "居民 {name}"
SIM_STAFF = "工作人员 {name}（{role}）"
