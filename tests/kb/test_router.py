"""Router: urgent first, then configured rules, then the nearest FAQ's route, else other."""
import pytest

from knowledge_base.loader import parse_kb
from knowledge_base.matcher import Matcher
from knowledge_base.router import Route, route
from knowledge_base.settings import RoutingRule, RoutingSettings

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
    return Matcher(parse_kb(KB))


def _route(matcher, text, rules=None):
    return route(text, matcher.match(text), rules or RoutingSettings())


def test_defaults_loaded_from_yaml():
    names = [r.name for r in RoutingSettings().rules]
    assert "repair" in names and "chitchat" in names


def test_urgent(matcher):
    r = _route(matcher, "楼道里有很大的煤气味 怎么办")
    assert r == Route("urgent", "urgent", True, "guard:urgent")


def test_near_miss_is_not_urgent(matcher):
    assert not _route(matcher, "燃气费在哪交").urgent


@pytest.mark.parametrize("text,cat", [
    ("打了五六次电话没人来修 你们到底管不管", "complaint"), ("建议小区多装几个路灯", "suggestion"),
    ("谢谢", "other"), ("你是机器人吗", "other"), ("热水器坏了找谁修", "repair"),
    ("学校要实习证明 社区能开吗", "certificate"), ("对门把鞋柜放楼道里 说了几次都不搬", "dispute"),
])
def test_rules(matcher, text, cat):
    assert _route(matcher, text).category == cat


def test_falls_back_to_nearest_faq_route(matcher):
    r = _route(matcher, "低保")
    assert r.category == "aid" and r.rule == "faq:dibao_apply"


def test_unmatched_is_other(matcher):
    r = route("附近哪家烩面馆好吃", None, RoutingSettings(rules=[]))
    assert r.category == "other"


def test_custom_rule_wins(matcher):
    rules = RoutingSettings(rules=[RoutingRule(name="heat", category="repair", priority="high",
                                               keywords=["暖气费"])])
    r = _route(matcher, "暖气费怎么交", rules)
    assert (r.category, r.priority, r.rule) == ("repair", "high", "heat")


def test_bad_rule_rejected():
    with pytest.raises(ValueError):
        RoutingRule(name="x", category="nonsense")
    with pytest.raises(ValueError):
        RoutingRule(name="x", category="other", patterns=["(unclosed"])


@pytest.mark.parametrize("text", ["附近哪家烩面馆好吃", "狗丢了 谁看见一只白色泰迪", "家里wifi老是断", "好的 知道了"])
def test_out_of_scope_goes_to_other(matcher, text):
    assert _route(matcher, text).category == "other"
