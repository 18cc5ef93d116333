"""Matcher decisions on a small KB: answer when sure, menu when unsure, hand off otherwise."""
import pytest

from knowledge_base.loader import parse_kb
from knowledge_base.matcher import Candidate, Matcher, MatchResult
from knowledge_base.settings import FaqSettings
from tests.kb.small_kb import KB



def test_result_types(matcher):
    r = matcher.match("低保怎么申请")
    assert isinstance(r, MatchResult) and all(isinstance(c, Candidate) for c in r.candidates)
    assert 0 <= r.candidates[-1].score <= r.candidates[0].score <= 1
    assert len(r.candidates) <= 3


@pytest.mark.parametrize("text,faq", [
    ("低保怎么申请", "dibao_apply"), ("請問居住證怎麼辦理", "residence_permit"),
])
def test_answer(matcher, text, faq):
    r = matcher.match(text)
    assert r.decision == "answer" and r.candidates[0].faq_id == faq


@pytest.mark.parametrize("text,faq", [
    ("俺家暖气不热 咋办", "heating_repair"), ("jzz怎么办理", "residence_permit"),
])
def test_dialect_and_initials_rank_first(matcher, text, faq):
    # On this 8-entry KB the semantic columns (similarity z-scores across FAQs) carry little,
    # so dialect and pinyin initials rank the right FAQ first without always being sure of it.
    r = matcher.match(text)
    assert r.candidates[0].faq_id == faq
    assert r.guard is None


def test_homophone_still_finds_faq(matcher):
    r = matcher.match("抵保怎么申请")
    assert r.candidates[0].faq_id == "dibao_apply" and r.decision in ("answer", "suggest")


@pytest.mark.parametrize("text", ["附近哪家烩面馆好吃", "明天下雨不", "联通客服电话多少"])
def test_out_of_scope_not_answered(matcher, text):
    assert matcher.match(text).decision != "answer"


@pytest.mark.parametrize("text", ["谢谢", "在吗", "[微笑]", ""])
def test_empty_after_normalising_is_handoff(matcher, text):
    assert matcher.match(text).decision == "handoff"


def test_suggest_between_thresholds():
    m = Matcher(parse_kb(KB), FaqSettings(answer_threshold=0.999, suggest_threshold=0.001, margin=0,
                                          menu_ratio=0.0))
    r = m.match("暖气")
    assert r.decision == "suggest"
    assert {c.faq_id for c in r.candidates} >= {"heating_repair", "heating_fee"}


def test_margin_blocks_ambiguous_answer():
    m = Matcher(parse_kb(KB), FaqSettings(answer_threshold=0.0, suggest_threshold=0.0, margin=1.0))
    assert m.match("低保怎么申请").decision == "suggest"


@pytest.mark.parametrize("text,g", [
    ("楼道里有很大的煤气味", "urgent"), ("我上个月交的低保材料审批到哪一步了", "personal_status"),
    ("打了五六次电话没人来修暖气", "complaint"), ("建议书吧周末多开一会", "suggestion"),
])
def test_guards_force_handoff(matcher, text, g):
    r = matcher.match(text)
    # The safety net reads an unheated home nobody came to fix as possibly urgent (caution):
    # a person still gets it first, which is the point of the guard (faq eval's caution_rate
    # counts such readings on ordinary traffic).
    assert r.decision == "handoff" and (r.guard == g or (g == "complaint" and r.guard == "caution"))
    if g == "urgent":
        assert r.candidates == ()


def test_rebuild_and_version(matcher):
    m = Matcher(parse_kb(KB))
    v, n = m.version, len(m)
    entries = parse_kb(KB)[:3]
    m.rebuild(entries)
    assert m.version == v + 1 and len(m) == 3 == n - 5
    assert all(c.faq_id in {"office_hours", "dibao_apply", "heating_repair"}
               for c in m.match("老年卡怎么办").candidates)


def test_disabled_entries_are_not_matched():
    entries = parse_kb(KB.replace("{id: dibao_apply,", "{id: dibao_apply, enabled: false,"))
    m = Matcher(entries)
    assert all(c.faq_id != "dibao_apply" for c in m.match("低保怎么申请").candidates)


def test_settings_validation():
    with pytest.raises(ValueError):
        FaqSettings(answer_threshold=0.2, suggest_threshold=0.5)


@pytest.mark.parametrize("text,faq", [("jzz怎么办理", "residence_permit"), ("lnk怎么办", "senior_card"),
                                      ("dbsq", "dibao_apply")])
def test_pinyin_initials_expand_to_kb_words(matcher, text, faq):
    assert matcher.match(text).candidates[0].faq_id == faq


def test_expand_keeps_unknown_letters(matcher):
    assert matcher.expand("wifi断了") == "wifi断了"
    assert "居住证" in matcher.expand("jzz怎么办理")


@pytest.mark.parametrize("text", ["12345", "<script>alert(1)</script>", "hello world"])
def test_text_without_chinese_is_never_auto_answered(matcher, text):
    assert matcher.match(text).decision != "answer"


from hypothesis import given, settings as hsettings, strategies as st  # noqa: E402

_MATCHER = None


@hsettings(max_examples=60, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("低保暖气不热社区几点开门怎么办俺咋啥 ，。！？abc123😀[微笑]")),
               max_size=30))
def test_any_text_gives_a_valid_result(text):
    global _MATCHER
    _MATCHER = _MATCHER or Matcher(parse_kb(KB))
    r = _MATCHER.match(text)
    assert r.decision in ("answer", "suggest", "handoff")
    scores = [c.score for c in r.candidates]
    assert all(0.0 <= s <= 1.0 for s in scores) and scores == sorted(scores, reverse=True)
    if r.decision == "answer":
        assert r.guard is None and scores[0] >= FaqSettings().answer_threshold
