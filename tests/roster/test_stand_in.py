"""One stand-in rule (issue 11): leave substitutes and the store's gap-fill both choose with
bot.roster.overrides.choose_stand_in, after the hard rules of bot.roster.overrides.refusal."""
from datetime import date, timedelta

from bot.roster import RosterRules, StaffMember
from bot.roster.overrides import choose_stand_in, refusal

RULES = RosterRules(anchor=date(2026, 12, 1), never_pair=(frozenset({"张伟", "李娜"}),))
WEDNESDAY, SATURDAY = date(2026, 12, 2), date(2026, 12, 5)


def duties(**days) -> dict:
    """{day: names} from name=[days offset from the day in question]."""
    out: dict = {}
    for name, offsets in days.items():
        for day in offsets:
            out.setdefault(day, []).append(name)
    return out


def test_rest_comes_first_then_fewest_duties_then_rotation_order(calendar):
    d = WEDNESDAY
    near = duties(王芳=[d - timedelta(days=1)], 刘洋=[d - timedelta(days=9), d - timedelta(days=12)],
                  陈静=[d - timedelta(days=10)])
    assert choose_stand_in(d, ["王芳", "刘洋", "陈静"], near, RULES, calendar) == ("陈静", False)
    assert choose_stand_in(d, ["王芳", "刘洋"], near, RULES, calendar) == ("刘洋", False)
    assert choose_stand_in(d, ["刘洋", "陈静", "马琳"], {}, RULES, calendar) == ("刘洋", False)


def test_when_nobody_is_rested_the_rule_says_rest_was_relaxed(calendar):
    d = WEDNESDAY
    near = duties(王芳=[d - timedelta(days=1)], 刘洋=[d + timedelta(days=1)])
    assert choose_stand_in(d, ["王芳", "刘洋"], near, RULES, calendar) == ("王芳", True)
    assert choose_stand_in(d, [], near, RULES, calendar) is None


def test_on_a_rest_day_fewer_rest_day_duties_win_the_tie(calendar):
    saturday_before, friday_before = SATURDAY - timedelta(days=7), SATURDAY - timedelta(days=8)
    near = duties(王芳=[saturday_before], 刘洋=[friday_before])
    assert choose_stand_in(SATURDAY, ["王芳", "刘洋"], near, RULES, calendar) == ("刘洋", False)
    on_a_workday = {day + timedelta(days=4): names for day, names in near.items()}
    assert choose_stand_in(WEDNESDAY + timedelta(days=7), ["王芳", "刘洋"], on_a_workday, RULES, calendar)[0] == "王芳"


def test_the_hard_rules_refuse_with_a_reason(calendar):
    person = StaffMember("王芳")
    assert refusal(person, "王芳", WEDNESDAY, ["刘洋"], RULES, calendar) is None
    assert refusal(None, "王芳", WEDNESDAY, [], RULES, calendar).message_zh == "王芳不在可值班人员名单中"
    assert refusal(person, "王芳", WEDNESDAY, [], RULES, calendar, in_rotation=False) is not None
    assert "请假中" in refusal(person, "王芳", WEDNESDAY, [], RULES, calendar, on_leave=True).message_zh
    no_holidays = StaffMember("王芳", no_holiday_duty=True)
    assert refusal(no_holidays, "王芳", WEDNESDAY, [], RULES, calendar) is None
    assert "节假日" in refusal(no_holidays, "王芳", SATURDAY, [], RULES, calendar).message_zh
    assert "不能与" in refusal(StaffMember("李娜"), "李娜", WEDNESDAY, ["张伟"], RULES, calendar).message_zh
