"""Issue 13, findings 1-3: threading follows the matter, 转人工 carries the question, two matters at once."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import InboundMessage, Outbox, Ticket
from tests.tickets.conftest import HANDOFF_Q, RESIDENT, WANGFANG, event_kinds, ticket
from tests.tickets.i13_support import pin, talk  # noqa: F401 (fixture)

SCHOOL = "孩子上小学的入学登记在哪里办"
LAMPS = "小区里的路灯坏了好几个，晚上很黑"
EBIKE = "电动车在哪里充电"
TWO = "家里厨房水管漏水了，另外想问下孩子的城乡居民医保怎么交"
TWO_PLAIN = "家里厨房的灯坏了，另外想问下孩子的城乡居民医保怎么交"


def _tickets(desk) -> int:
    with desk.session() as s:
        return s.scalar(select(func.count(Ticket.id)))


def _staff_rows(desk) -> list[str]:
    with desk.session() as s:
        return [r.text for r in s.scalars(select(Outbox).where(Outbox.recipient != RESIDENT))]


# ---- finding 1 --------------------------------------------------------------------------------
def test_new_matters_are_not_swallowed_by_a_three_day_old_ticket(talk):
    desk = talk.desk
    pin(desk, {SCHOOL: ("handoff", []), LAMPS: ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(days=3)
    school = talk.resident(SCHOOL)
    lamps = talk.resident(LAMPS)
    talk.deliver()
    assert "补充" not in school and "工单#2" in school
    assert "补充" not in lamps and "工单#3" in lamps and "报修" in lamps
    assert event_kinds(desk, 1).count("followup") == 0
    assert ticket(desk, 3).subject == LAMPS and ticket(desk, 3).category == "repair"


def test_greetings_thanks_and_emoji_never_ping_staff(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.deliver()
    before = len(_staff_rows(desk))
    assert "工单#1正在处理中" in talk.resident("你好")
    assert talk.resident("谢谢").startswith("不客气")
    assert talk.resident("[微笑]").startswith("收到")
    assert talk.resident("👍👍").startswith("收到")
    talk.deliver()
    assert len(_staff_rows(desk)) == before
    assert event_kinds(desk).count("followup") == 0
    assert ticket(desk).waiting_since == ticket(desk).created_at  # the clock did not restart


def test_unsure_asks_once_and_remembers_the_answer(talk):
    desk = talk.desk
    pin(desk, {"一直在滴水": ("handoff", []), "柜子里也是水": ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=10)
    asked = talk.resident("一直在滴水")
    assert asked == "补充工单#1（我家厨房水龙头坏了），还是新问题？请回复“补充”或“新问题”。"
    talk.deliver()
    assert not any("一直在滴水" in t for t in _staff_rows(desk))  # nothing sent to staff while unsure
    assert "已将您补充的内容加入工单#1" in talk.resident("补充")
    talk.deliver()
    assert any(t.startswith("【工单#1 居民补充】一直在滴水") for t in _staff_rows(desk))
    again = talk.resident("柜子里也是水")  # unsure again: the answer is remembered
    assert "已将您补充的内容加入工单#1" in again
    assert _tickets(desk) == 1


def test_a_clearly_new_statement_is_not_asked_about(talk):
    desk = talk.desk
    pin(desk, {"楼下停车位有人乱停": ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=10)
    assert "工单#2" in talk.resident("楼下停车位有人乱停")


def test_unsure_then_new_question_becomes_its_own_ticket(talk):
    desk = talk.desk
    pin(desk, {"晚上声音很大": ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=10)
    assert "还是新问题" in talk.resident("晚上声音很大")
    reply = talk.resident("新问题")
    assert "工单#2" in reply
    assert ticket(desk, 2).subject == "晚上声音很大"
    assert event_kinds(desk, 1).count("followup") == 0
    with desk.session() as s:  # the console files the earlier message under the ticket it went to
        row = s.scalars(select(InboundMessage).where(InboundMessage.text == "晚上声音很大")).one()
        assert row.ticket_id == 2


def test_an_open_ticket_stops_collecting_after_the_window(talk):
    desk = talk.desk
    pin(desk, {"水龙头还在漏": ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=20)
    assert "加入工单#1" in talk.resident("水龙头还在漏")  # the same matter, soon after: joins
    desk.clock.advance(days=2)
    assert "还是新问题" in talk.resident("水龙头还在漏")  # same words two days later: asked, not swallowed


# ---- finding 2 --------------------------------------------------------------------------------
def test_zero_after_an_answer_hands_on_that_question_even_with_another_ticket_open(talk):
    desk = talk.desk
    pin(desk, {EBIKE: ("answer", ["ebike_charging"])})
    talk.resident(HANDOFF_Q)
    answer = talk.resident(EBIKE)
    assert "充电" in answer and "回复“0”转人工" in answer
    human = talk.resident("0")
    assert "工单#2" in human and "工单#1" not in human
    t2 = ticket(desk, 2)
    assert t2.subject == EBIKE and t2.category == "consult" and t2.priority == "normal"
    assert "今天之内" not in human
    talk.deliver()
    notice = [t for t in _staff_rows(desk) if t.startswith("【新工单#2】")][0]
    assert EBIKE in notice and "政策咨询·一般" in notice
    assert event_kinds(desk, 1).count("followup") == 0


def test_zero_after_a_menu_pick_hands_on_the_question_not_the_digit(talk):
    desk = talk.desk
    question = "充电的地方在哪，收不收钱"
    pin(desk, {question: ("suggest", ["ebike_charging", "car_parking"])})
    menu = talk.resident(question)
    assert "1. 电动车在哪里充电？" in menu
    assert "充电" in talk.resident("第一个")
    assert "工单#1" in talk.resident("0")
    assert ticket(desk, 1).subject == question and ticket(desk, 1).subject not in ("0", "第一个")


def test_a_bare_transfer_asks_what_the_matter_is(talk):
    desk = talk.desk
    assert talk.resident("转人工").startswith("好的，马上为您转人工。请用一句话说明")
    assert _tickets(desk) == 0
    reply = talk.resident("我想问问老旧小区加装电梯有没有补贴")
    assert "工单#1" in reply and ticket(desk).subject == "我想问问老旧小区加装电梯有没有补贴"


# ---- finding 3 --------------------------------------------------------------------------------
def test_two_matters_in_one_message_answer_one_and_ticket_the_other(talk):
    desk = talk.desk
    pin(desk, {"家里厨房的灯坏了": ("handoff", []),
               "想问下孩子的城乡居民医保怎么交": ("answer", ["resident_medical_insurance"])})
    reply = talk.resident(TWO_PLAIN)
    assert reply.startswith("您的消息里有2件事")
    assert "医保" in reply and "工单#1" in reply
    t = ticket(desk)
    assert t.subject == "家里厨房的灯坏了" and t.category == "repair"
    talk.deliver()
    assert any("家里厨房的灯坏了" in x for x in _staff_rows(desk) if x.startswith("【新工单#1】"))
    assert len(reply.encode("utf-8")) <= 2048
    assert WANGFANG  # the duty pair is the fixture's


def test_the_issues_leak_and_insurance_message_loses_neither(talk):
    """A leak may be urgent (the safety net's 'caution' answers first); the insurance question still
    reaches staff in the same ticket, so nothing of the message disappears."""
    desk = talk.desk
    reply = talk.resident(TWO)
    assert "工单#1" in reply
    t = ticket(desk)
    assert "漏水" in t.subject and ("医保" in t.subject or "医保" in reply)


def test_two_matters_when_one_is_the_open_ticket_adds_to_it(talk):
    desk = talk.desk
    pin(desk, {"水龙头还在漏": ("handoff", []),
               "想问下孩子的城乡居民医保怎么交": ("answer", ["resident_medical_insurance"])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=5)
    reply = talk.resident("水龙头还在漏，另外想问下孩子的城乡居民医保怎么交")
    assert "医保" in reply and "已将您补充的内容加入工单#1" in reply
    assert _tickets(desk) == 1 and event_kinds(desk).count("followup") == 1
