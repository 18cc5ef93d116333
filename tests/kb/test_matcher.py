"""Matcher decisions on a small KB: answer when sure, menu when unsure, hand off otherwise."""
import pytest

from knowledge_base.loader import parse_kb
from knowledge_base.matcher import Candidate, Matcher, MatchResult
from knowledge_base.settings import FaqSettings

KB = """faqs:
  - {id: office_hours, question: 社区办公时间是几点到几点, alt_questions: [社区几点上班几点下班, 周末社区有人值班吗], answer: 社区工作日上午8:30上班、下午17:30下班，周末有人值班, route: consult}
  - {id: dibao_apply, question: 低保怎么申请, alt_questions: [最低生活保障申请条件, 低保需要什么材料], answer: 低保以家庭为单位申请，带户口本和身份证到社区申请最低生活保障, route: aid}
  - {id: heating_repair, question: 暖气不热怎么报修, alt_questions: [暖气片不热, 家里暖气冰凉], answer: 暖气不热请先给暖气片放气，仍不热请打热力公司电话报修, route: repair}
  - {id: heating_fee, question: 暖气费怎么交, alt_questions: [供暖时间, 暖气费多少钱], answer: 暖气费在热力公司营业厅缴纳，供暖时间11月15日开始, route: consult}
  - {id: residence_permit, question: 居住证怎么办理, alt_questions: [居住证到期续签, 外地人办居住证], answer: 外地户籍居民带身份证和租房合同到派出所办理居住证，每年签注续期, route: consult}
  - {id: senior_card, question: 老年卡怎么办, alt_questions: [老人坐公交免费吗, 老年优待证], answer: 60岁以上老人带身份证和照片办理老年卡（老年优待证），坐公交免费, route: consult}
  - {id: dog_registration, question: 养狗需要办证吗, alt_questions: [办狗证, 犬只登记去哪], answer: 养狗须办理犬只登记（狗证），带免疫证明到登记点办理, route: consult}
  - {id: book_bar, question: 社区书吧几点开门, alt_questions: [书吧开放时间, 借书要办卡吗], answer: 社区书吧每天9点开门，借书需办借书卡, route: activity}
"""


@pytest.fixture(scope="module")
def matcher():
    return Matcher(parse_kb(KB), FaqSettings())


def test_result_types(matcher):
    r = matcher.match("低保怎么申请")
    assert isinstance(r, MatchResult) and all(isinstance(c, Candidate) for c in r.candidates)
    assert 0 <= r.candidates[-1].score <= r.candidates[0].score <= 1
    assert len(r.candidates) <= 3


@pytest.mark.parametrize("text,faq", [
    ("低保怎么申请", "dibao_apply"), ("俺家暖气不热 咋办", "heating_repair"),
    ("請問居住證怎麼辦理", "residence_permit"), ("jzz怎么办理", "residence_permit"),
])
def test_answer(matcher, text, faq):
    r = matcher.match(text)
    assert r.decision == "answer" and r.candidates[0].faq_id == faq


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
    m = Matcher(parse_kb(KB), FaqSettings(answer_threshold=0.999, suggest_threshold=0.01, margin=0))
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
    assert r.decision == "handoff" and r.guard == g
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
