"""The safety net and intent guards by meaning, on the product's sample FAQ.

Every message here was written for these tests (not taken from the evaluation sets or the
training material). Levels: urgent (full alarm), caution (possibly urgent: a person, never an
FAQ answer or a menu), ordinary.
"""
from __future__ import annotations

import pytest

from knowledge_base.loader import load_kb
from knowledge_base.matcher import Matcher
from knowledge_base.settings import FaqSettings

SAMPLE = "knowledge_base/default_faq.yaml"


@pytest.fixture(scope="module")
def matcher():
    return Matcher(load_kb(SAMPLE), FaqSettings())


@pytest.mark.parametrize("text,situation", [
    ("我爸突然倒在厨房地上，怎么叫都不醒", "medical"),          # no keyword: what the sender sees
    ("三楼窗户里往外冒黑烟，还有噼啪声", "fire"),
    ("单元门口那股燃气味冲得人头疼", "gas"),
    ("小孩一个人爬到阳台栏杆外面去了", "child_danger"),
    ("电梯困人了 里面有个老太太", "elevator"),
])
def test_urgent_without_keywords(matcher, text, situation):
    r = matcher.match(text)
    assert r.decision == "handoff" and r.guard == "urgent" and r.candidates == ()
    assert r.safety.situation == situation


@pytest.mark.parametrize("text", [
    "我爸在楼道摔倒了起不来，头上在流血，救护车的钱社区能申请补助吗",
    "家里着火了，房屋保险怎么办理",
    "我妈突然说话不清楚嘴也歪了 医保卡在哪办",
])
def test_emergency_next_to_a_procedure_question_stays_urgent(matcher, text):
    assert matcher.match(text).guard == "urgent"


@pytest.mark.parametrize("text", ["楼下好像有股怪味，说不上来是什么", "隔壁屋里一直有人在喊，听不清喊什么"])
def test_caution_is_a_person_never_an_answer_or_menu(matcher, text):
    r = matcher.match(text)
    assert r.guard == "caution" and r.decision == "handoff" and r.candidates == ()


@pytest.mark.parametrize("text", [
    "燃气费在哪里交", "上个月楼下着过火，保险怎么理赔", "热死了 空调维修找谁",
    "转人工", "人工", "好的", "社区几点下班",
])
def test_ordinary_messages_with_alarming_words_raise_no_alarm(matcher, text):
    assert matcher.match(text).guard not in ("urgent", "caution")


@pytest.mark.parametrize("text,guard", [
    ("我上周报修的水管什么时候来人", "personal_status"),
    ("说了好几次了还是没人管，你们到底管不管", "complaint"),
])
def test_intent_guards(matcher, text, guard):
    r = matcher.match(text)
    assert r.decision == "handoff" and r.guard == guard


@pytest.mark.parametrize("text", ["楼道的灯坏了，麻烦派人来修一下", "下水道堵了，找人来通一下"])
def test_a_request_for_action_is_handed_on_not_given_a_menu(matcher, text):
    r = matcher.match(text)
    assert r.intent == "action_request" and r.decision == "handoff"


@pytest.mark.parametrize("text", ["1", "好的", "不对", "第二个"])
def test_no_menu_of_guesses_for_a_bare_reply(matcher, text):
    assert matcher.match(text).decision != "suggest"


def test_menu_holds_only_plausible_options():
    m = Matcher(load_kb(SAMPLE), FaqSettings(answer_threshold=0.99, menu_ratio=0.5))
    r = m.match("暖气不热")
    assert r.decision == "suggest"
    assert all(c.score >= 0.5 * r.candidates[0].score for c in r.candidates)
