"""Ticket conversations through the real webhook, delivered by the dispatcher to a fake WeChat API."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import FaqDraft, Outbox, Ticket
from tests.tickets.conftest import (
    ANSWERABLE_Q, HANDOFF_Q, LINA, RESIDENT, WANGFANG, ZHANGWEI, dispatch, event_kinds, send_media, ticket,
)


def test_handoff_ticket_staff_answer_resident_receives_and_rates(wx):
    desk, fake = wx
    ack = desk.send(HANDOFF_Q)
    assert "工单#1" in ack and "王芳" in ack and "查询 1" in ack and "1小时内" in ack
    dispatch(desk)
    [note] = fake.texts(to=WANGFANG)
    assert "【新工单#1】" in note and HANDOFF_Q in note and "#1 答复内容" in note
    assert fake.texts(to=RESIDENT) == []

    desk.clock.advance(minutes=7)
    confirm = desk.send("#1 您好，已联系物业师傅，今天下午三点上门维修。", as_=WANGFANG)
    assert confirm == "已把您的答复发送给居民（工单#1）。"
    assert dispatch(desk) == 1
    [answer] = fake.texts(to=RESIDENT)
    assert answer.startswith("【工单#1 答复】王芳：\n您好，已联系物业师傅，今天下午三点上门维修。")
    assert "1-5" in answer
    t = ticket(desk)
    assert t.status == "answered" and t.waiting_since is None and t.answered_at == desk.clock.now()
    assert t.first_response_at == desk.clock.now() and t.last_answer.startswith("您好")

    assert desk.send("5") == "感谢您的评价（5分）！如还有其他问题，欢迎随时留言。"
    assert ticket(desk).rating == 5 and ticket(desk).status == "answered"
    assert event_kinds(desk) == ["opened", "assigned", "contact_asked", "answered", "rated"]
    assert "5分" not in (desk.send("5") or "")  # the rating was asked once: a second "5" is a new message


def test_the_access_token_is_fetched_once_and_sent_with_every_call(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    desk.send("#1 好的，马上安排", as_=WANGFANG)
    dispatch(desk)
    assert len(fake.calls("token")) == 1
    assert {c.query["access_token"] for c in fake.calls("message/custom/send")} == {"FAKE_TOKEN_1"}


def test_transfer_to_a_colleague(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    assert desk.send("#1 转 李娜", as_=WANGFANG) == "工单#1已转给李娜，已通知对方。"
    dispatch(desk)
    [note] = fake.texts(to=LINA)
    assert "【工单#1 转交给您】王芳把工单转给了您" in note
    assert ticket(desk).assignee.name == "李娜"
    assert desk.send("#1 转给赵六", as_=LINA).startswith("这条消息没有发给居民：没有找到名为“赵六”的同事")
    assert desk.send("我的工单").count("李娜") == 1
    assert event_kinds(desk)[-1] == "transferred"


def test_close_tells_the_resident_and_stops_the_clock(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    desk.send("#1 师傅已经修好了", as_=LINA)
    assert desk.send("＃１ 关闭", as_=LINA) == "工单#1已关闭。"
    dispatch(desk)
    assert fake.texts(to=RESIDENT)[-1] == "您的工单#1已办结，感谢您的耐心。如还有其他问题，欢迎随时留言。"
    t = ticket(desk)
    assert t.status == "closed" and t.closed_at is not None and t.waiting_since is None
    assert desk.send("#1 还有问题吗", as_=WANGFANG) == "工单#1已办结，无法再操作。"


def test_follow_ups_thread_into_the_open_ticket(wx):
    desk, _ = wx
    desk.send(HANDOFF_Q)
    opened = ticket(desk).waiting_since
    desk.clock.advance(minutes=10)
    assert "已将您补充的内容加入工单#1" in desk.send("是3号楼2单元501，一直在滴水")
    assert "工单#1" in send_media(desk, "image")
    assert "工单#1" in send_media(desk, "voice", recognition="师傅下午几点能来")
    assert "工单#1" in send_media(desk, "location")
    with desk.session() as s:
        assert s.scalar(select(func.count(Ticket.id))) == 1
    kinds = event_kinds(desk)
    assert kinds.count("followup") == 4
    t = ticket(desk)
    assert t.waiting_since == desk.clock.now() and t.waiting_since > opened
    with desk.session() as s:
        data = [e.data for e in s.get(Ticket, 1).events if e.kind == "followup"]
    texts = [d["text"] for d in data]
    assert texts[0] == "是3号楼2单元501，一直在滴水" and texts[1].startswith("[图片]")
    assert data[1]["media_id"] == "m_img" and data[2]["msg_kind"] == "voice"
    assert texts[2] == "师傅下午几点能来" and "锦绣城3号楼" in texts[3]


def test_a_clear_new_question_is_not_threaded_and_asking_for_a_person_always_is(wx):
    desk, _ = wx
    desk.send(HANDOFF_Q)
    faq = desk.send(ANSWERABLE_Q)
    assert "工单" not in faq  # the FAQ answered it
    assert event_kinds(desk).count("followup") == 0
    human = desk.send("转人工")  # about the question the FAQ just answered, not the open repair
    assert "工单#2" in human and ticket(desk, 2).subject == ANSWERABLE_Q
    assert event_kinds(desk).count("followup") == 0
    assert desk.send("转人工").startswith("好的，已为您转人工：工单#2已提醒")  # nothing answered: the latest ticket


def test_an_answered_ticket_takes_thanks_without_reopening(wx):
    desk, _ = wx
    desk.send(HANDOFF_Q)
    desk.send("#1 已安排师傅", as_=WANGFANG)
    assert desk.send("好的，谢谢") == "不客气，很高兴能帮到您！如还有其他问题，欢迎随时留言。"
    assert ticket(desk).status == "answered" and ticket(desk).waiting_since is None
    desk.send("师傅还没来")
    assert ticket(desk).status == "open" and ticket(desk).waiting_since == desk.clock.now()


def test_urgent_message_gets_safety_guidance_and_everyone_is_told(wx):
    desk, fake = wx
    reply = desk.send("家里燃气味很重，怎么办")
    for needle in ("119", "120", "110", desk.settings.desk.duty_phone, "关闭燃气总阀", "工单#1"):
        assert needle in reply
    t = ticket(desk)
    assert t.priority == "urgent" and t.category == "urgent"
    dispatch(desk)
    for who in (WANGFANG, LINA, ZHANGWEI):  # both on duty and the lead
        assert any("【紧急工单#1】" in text for text in fake.texts(to=who)), who


def test_a_resident_typing_a_staff_command_is_just_a_resident(wx):
    desk, _ = wx
    desk.send(HANDOFF_Q)
    reply = desk.send("#1 关闭")
    assert "已关闭" not in reply and "工单#1" in reply  # a follow-up to their own ticket
    assert ticket(desk).status == "open"
    assert "待办" not in (desk.send("待办", as_="o_someone_else") or "")


def test_staff_wrong_command_gets_help_and_lists_work(wx):
    desk, _ = wx
    assert desk.send("你好", as_=WANGFANG).startswith("工作人员指令：")
    assert desk.send("#99 你好", as_=WANGFANG).startswith("没有找到工单#99")
    desk.send(HANDOFF_Q)
    assert "#1 [一般]" in desk.send("待办", as_=WANGFANG)
    assert desk.send("待办", as_=LINA) == "您目前没有待办工单。"
    assert "王芳" in desk.send("值班", as_=LINA) and "李娜" in desk.send("值班", as_=LINA)


def test_take_stops_the_escalation_clock(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    desk.clock.advance(minutes=3)
    assert desk.send("接单 １", as_=LINA) == "您已接单：工单#1。请尽快发送“#1 答复内容”回复居民。"
    t = ticket(desk)
    # 接单 stops the acknowledgement clock only; the resident still waits for an answer (issue 14)
    assert t.waiting_since is not None and t.first_response_at == desk.clock.now() and t.assignee.name == "李娜"
    dispatch(desk)
    assert fake.texts(to=RESIDENT) == ["您的工单#1已由工作人员李娜接手处理，请稍候，我们会尽快答复您。"]


def test_dissatisfied_rating_reopens_and_tells_the_lead(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    desk.send("#1 已经修好了", as_=WANGFANG)
    dispatch(desk)
    reply = desk.send("不满意")
    assert "工单#1已重新打开" in reply
    t = ticket(desk)
    assert t.status == "open" and t.rating == 1 and t.waiting_since == desk.clock.now()
    dispatch(desk)
    assert any("【工单#1 居民不满意】" in text for text in fake.texts(to=ZHANGWEI))
    assert event_kinds(desk)[-2:] == ["rated", "reopened"]


def test_self_service_status_only_for_own_tickets_and_cancel(wx):
    desk, fake = wx
    desk.send(HANDOFF_Q)
    desk.send("#1 明天上午来修", as_=WANGFANG)
    status = desk.send("查询 1")
    assert "工单#1" in status and "已答复" in status and "王芳" in status and "明天上午来修" in status
    assert desk.send("查询 1", as_="o_neighbour").startswith("没有找到您的工单#1")
    assert desk.send("取消 1", as_="o_neighbour").startswith("没有找到您的工单#1")
    assert desk.send("取消 1") == "工单#1已为您撤回。如还有其他问题，欢迎随时留言。"
    assert ticket(desk).status == "cancelled" and ticket(desk).waiting_since is None
    assert desk.send("取消 1") == "工单#1已撤回，无需再次撤回。"
    dispatch(desk)
    assert any("【工单#1 已撤回】" in text for text in fake.texts(to=WANGFANG))


def test_faq_draft_from_a_ticket(wx):
    desk, _ = wx
    desk.send(HANDOFF_Q)
    assert desk.send("#1 入库", as_=WANGFANG).startswith("工单#1还没有答复")
    desk.send("#1 水龙头坏了请联系物业维修电话 0371-67830001", as_=WANGFANG)
    assert desk.send("#1 入库", as_=WANGFANG).startswith("已把工单#1的问题和答复提交为常见问题草稿")
    with desk.session() as s:
        draft = s.scalar(select(FaqDraft))
    assert draft.question == HANDOFF_Q and draft.proposed_by == "王芳" and draft.route == "repair"


def test_load_balancing_across_the_duty_pair(wx):
    desk, _ = wx
    for i in range(4):
        assert f"工单#{i + 1}" in desk.send(HANDOFF_Q, as_=f"o_res_{i}")
    with desk.session() as s:
        names = sorted(t.assignee.name for t in s.scalars(select(Ticket)))
    assert names == ["李娜", "李娜", "王芳", "王芳"]
    with desk.session() as s:
        assert s.scalar(select(func.count(Outbox.id)).where(Outbox.recipient.in_([WANGFANG, LINA]))) == 4
