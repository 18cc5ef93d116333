"""The FAQ in the conversation: an answer, a menu pick, expiry, and a hand-off — through the webhook."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from bot.db import transaction
from bot.db.models import ConversationState, FaqEntry as FaqRow, InboundMessage
from bot.faq_store.revisions import save
from knowledge_base.phrases import asks_for_person, parse_pick
from knowledge_base.loader import FaqEntry

KB = [
    FaqEntry("office_hours", "社区办公时间是几点到几点？", ("社区几点上班几点下班", "周末社区有人值班吗"),
             "工作日 8:30-12:00，14:30-17:30（示例）。", "办事服务", "consult", ()),
    FaqEntry("dibao_apply", "低保怎么申请？需要什么材料？", ("申请最低生活保障", "低保需要什么条件"),
             "低保申请（示例）：带户口本、身份证到社区填写申请表。", "社会救助", "aid", ()),
    FaqEntry("residence_cert", "怎么开居住证明？", ("居住证明在哪里开", "开居住证明要带什么"),
             "居住证明（示例）：带身份证和房产证或租房合同到社区一楼窗口办理。", "证明", "certificate", ()),
    FaqEntry("heating_repair", "暖气不热怎么报修？", ("暖气片不热找谁", "供暖报修电话"),
             "暖气报修（示例）：拨打热力公司24小时热线0371-6783xxxx。", "物业", "repair", ()),
]


@pytest.fixture
def faq_desk(desk):
    """The desk with a small known FAQ instead of the default one."""
    with transaction(desk.services.session_factory) as s:
        for row in s.scalars(select(FaqRow)):
            s.delete(row)
        s.flush()
        for e in KB:
            save(s, e, "test", desk.clock.now())
    desk.services.matchers.interval_s = 0
    # These tests are about the conversation, not calibration: fix the thresholds.
    _thresholds(desk, answer_threshold=0.2, suggest_threshold=0.01, margin=0.1)
    return desk


def _thresholds(desk, **values) -> None:
    provider = desk.services.matchers
    provider.settings = provider.settings.model_copy(update=values)
    provider._live = None


def _last_inbound(desk) -> InboundMessage:
    with desk.session() as s:
        return s.scalars(select(InboundMessage).order_by(InboundMessage.id.desc())).first()


def test_a_clear_question_is_answered_with_the_hand_off_hint(faq_desk):
    reply = faq_desk.send("请问社区几点上班几点下班？")
    assert reply.startswith("工作日 8:30-12:00")
    assert "回复“0”转人工" in reply
    row = _last_inbound(faq_desk)
    assert (row.handler, row.decision) == ("faq", "answer")
    assert row.scores["candidates"][0][0] == "office_hours"


def test_menu_pick_by_number_full_width_and_words(faq_desk):
    for pick in ("2", "２", None):
        menu = _force_menu(faq_desk)
        if pick is None:  # the question's own words
            second = menu.splitlines()[2].split(". ", 1)[1]
            pick = second
        reply = faq_desk.send(pick)
        assert reply is not None and "示例" in reply, (pick, reply)
        assert _last_inbound(faq_desk).decision == "menu_pick"


def _force_menu(desk) -> str:
    """Show a menu by storing one (the matcher's thresholds decide when it shows one by itself)."""
    from bot.conversation import save_state
    from bot.texts import MENU_HEAD

    class Ctx:  # the minimal context save_state needs
        def __init__(self, session):
            self.session = session

        def now(self):
            return desk.clock.now()

    options = [{"faq_id": e.id, "question": e.question} for e in KB[:3]]
    with desk.session() as s:
        save_state(Ctx(s), "o_resident_1", "menu", {"options": options, "text": "办个事"}, minutes=30)
    return "\n".join([MENU_HEAD] + [f"{i}. {o['question']}" for i, o in enumerate(options, 1)])


def test_an_unsure_question_gets_a_numbered_menu_that_expires(faq_desk):
    _thresholds(faq_desk, answer_threshold=0.999, suggest_threshold=0.0001, margin=0.0)
    reply = faq_desk.send("居住证明")
    assert reply.startswith("您是不是想问") and "\n1. " in reply and "回复“0”" in reply
    assert _last_inbound(faq_desk).decision == "suggest"
    faq_desk.clock.advance(minutes=31)
    assert "过期" in faq_desk.send("1")
    with faq_desk.session() as s:
        assert s.scalar(select(ConversationState).where(ConversationState.kind == "menu")) is None


def test_zero_after_an_answer_hands_off_the_original_question(faq_desk):
    faq_desk.send("请问社区几点上班几点下班？")
    reply = faq_desk.send("0")
    row = _last_inbound(faq_desk)
    assert row.decision in ("asked_for_person", "handoff") or "工单" in (reply or "")
    assert "工作日 8:30" not in (reply or "")


def test_an_urgent_message_is_never_answered_from_the_faq(faq_desk):
    reply = faq_desk.send("楼道里好大的煤气味，暖气也不热")
    row = _last_inbound(faq_desk)
    assert row.decision != "answer"
    assert "暖气报修（示例）" not in (reply or "")


def test_pick_parsing_and_person_requests():
    assert [parse_pick(t) for t in ("1", "１", "第2个", "选3", "三", "2。", "12", "abc")] == [1, 1, 2, 3, 3, 2, None, None]
    assert asks_for_person("0") and asks_for_person("转人工") and asks_for_person("不对")
    assert not asks_for_person("我想问一下低保的事情，不对外公开的材料有哪些要准备")
