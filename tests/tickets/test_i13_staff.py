"""Issue 13, findings 4, 5 and 9: ratings only when asked, strict staff commands, the smaller items."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import FaqDraft, Outbox
from tests.tickets.conftest import HANDOFF_Q, LINA, RESIDENT, WANGFANG, ZHANGWEI, event_kinds, ticket
from tests.tickets.i13_support import talk  # noqa: F401 (fixture)


def _to(desk, who: str) -> list[str]:
    with desk.session() as s:
        return [r.text for r in s.scalars(select(Outbox).where(Outbox.recipient == who).order_by(Outbox.id))]


# ---- finding 4 --------------------------------------------------------------------------------
def test_a_reply_to_a_staff_question_is_not_a_rating(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    sent = talk.staff("#1 好的，请问您住几号楼？")
    assert "不请居民评分" in sent
    talk.deliver()
    [question] = [t for t in _to(desk, RESIDENT)]
    assert "请问您住几号楼" in question and "评分" not in question
    assert ticket(desk).waiting_since is None and ticket(desk).status == "open"
    reply = talk.resident("2")
    assert "加入工单#1" in reply and "满意" not in reply
    talk.deliver()
    assert ticket(desk).rating is None and "rated" not in event_kinds(desk)
    assert any(t.startswith("【工单#1 居民回复您的提问】2") for t in _to(desk, WANGFANG))
    assert not any("评了" in t for t in _to(desk, ZHANGWEI))  # the lead is not told of a rating


def test_only_a_final_answer_asks_for_a_rating_and_staff_can_say_which(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.staff("#1 问 您明天上午在家")  # marked as a question, no question mark
    talk.resident("3号楼2单元301，明天上午在")
    talk.staff("#1 答复 好的，师傅明天上午九点上门。")
    talk.deliver()
    first, last = _to(desk, RESIDENT)[0], _to(desk, RESIDENT)[-1]
    assert "评分" not in first and "请为本次答复评分" in last
    assert talk.resident("5").startswith("感谢您的评价（5分）")
    assert ticket(desk).rating == 5


def test_a_rating_word_inside_a_sentence_is_a_follow_up(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.staff("#1 答复 已经修好了。")
    reply = talk.resident("2楼的也坏了，能不能一起修")
    assert "感谢您的评价" not in reply and "满意" not in reply
    assert ticket(desk).rating is None


# ---- finding 5 --------------------------------------------------------------------------------
def test_a_mistyped_transfer_reaches_nobody_and_changes_nothing(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    waiting = ticket(desk).waiting_since
    for typo in ("#1 转王方", "#1 转物业"):
        reply = talk.staff(typo)
        assert reply.startswith("这条消息没有发给居民") and "工作人员指令" in reply
    assert talk.staff("#1 答复").startswith("这条消息没有发给居民：“答复”后面没有内容")
    assert talk.staff("#1 入库吧").startswith("这条消息没有发给居民")
    talk.deliver()
    assert _to(desk, RESIDENT) == []
    t = ticket(desk)
    assert t.status == "open" and t.waiting_since == waiting and t.assignee.name == "王芳"
    assert event_kinds(desk) == ["opened", "assigned", "contact_asked"]


def test_closing_an_unanswered_ticket_needs_a_reason_the_resident_is_told(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    asked = talk.staff("#1 结单", as_=LINA)
    assert asked.startswith("工单#1还没有答复居民，没有关闭")
    assert ticket(desk).status == "open"
    assert talk.staff("#1 关闭 已电话联系，居民说已经自己修好了", as_=LINA) == "工单#1已关闭。"
    talk.deliver()
    [told] = _to(desk, RESIDENT)
    assert "已关闭" in told and "已电话联系，居民说已经自己修好了" in told and "已办结" not in told


# ---- finding 9 --------------------------------------------------------------------------------
def test_a_bare_pick_without_a_menu_gets_no_random_menu(talk):
    for text in ("1", "5", "第二个"):
        reply = talk.resident(text)
        assert reply == "现在没有待选择的选项。请直接说明您要咨询或办理的事情，我们马上为您处理。", text


def test_faq_draft_pairs_the_question_with_its_own_answer(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.staff("#1 答复 请先关闭厨房下面的水阀，师傅下午到。")
    talk.resident("师傅来了吗，还要等多久")
    talk.staff("#1 答复 师傅已经出发了，十分钟到。")
    assert talk.staff("#1 入库").startswith("已把工单#1的问题和答复提交为常见问题草稿")
    with desk.session() as s:
        draft = s.scalars(select(FaqDraft)).one()
    assert draft.question == HANDOFF_Q and draft.answer.startswith("请先关闭厨房下面的水阀")


def test_staff_detail_shows_the_follow_ups(talk):
    talk.resident(HANDOFF_Q)
    talk.desk.clock.advance(minutes=5)
    talk.resident("师傅什么时候能来")
    detail = talk.staff("#1")
    assert "居民补充：" in detail and "师傅什么时候能来" in detail
