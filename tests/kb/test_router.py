"""Router: urgent first, then configured rules, then the nearest FAQ's route, else other."""
import pytest

from knowledge_base.router import Route, route
from knowledge_base.settings import RoutingRule, RoutingSettings



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
