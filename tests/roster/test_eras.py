"""Staff-list eras (issue 16): the new rotation continues the old one; stand-ins never undo a swap."""
from datetime import date, datetime

from bot.roster import DutyDay, Override, RosterRules, StaffMember, apply
from bot.roster.eras import Era, continue_order, era_on, people, pin, spans

D1 = date(2026, 12, 1)


def test_era_on_and_spans_cut_a_range_at_each_era():
    a, b = Era(date(2026, 1, 1), (StaffMember("甲"),)), Era(D1, (StaffMember("乙"),))
    assert era_on([a, b], date(2025, 12, 31)) is None
    assert era_on([a, b], date(2026, 11, 30)) is a and era_on([a, b], D1) is b
    assert [(e, lo.day, hi.day) for e, lo, hi in spans([a, b], date(2026, 11, 29), date(2026, 12, 2))] == \
           [(a, 29, 30), (b, 1, 2)]
    assert [m.name for m in people([a, b], date(2026, 11, 29), date(2026, 12, 2))] == ["甲", "乙"]


def test_new_rotation_starts_with_who_served_longest_ago_and_newcomers_last():
    members = [StaffMember(n) for n in ("甲", "乙", "丙", "丁", "新人")]
    recent = [DutyDay(date(2026, 11, 28), ("甲", "乙"), "weekend"), DutyDay(date(2026, 11, 29), ("丙", "丁"), "weekend"),
              DutyDay(date(2026, 11, 30), ("甲", "丁"), "workday")]
    assert [m.name for m in continue_order(members, recent)] == ["乙", "丙", "甲", "丁", "新人"]


def test_pinned_days_keep_their_pair():
    era = Era(D1, (), ((D1, ("甲", "乙")),))
    days = pin([DutyDay(D1, ("丙", "丁"), "workday"), DutyDay(date(2026, 12, 2), ("丙", "丁"), "workday")], era)
    assert [d.staff for d in days] == [("甲", "乙"), ("丙", "丁")]


def test_a_stand_in_never_undoes_a_swap(calendar):
    staff = [StaffMember(n) for n in ("甲", "乙", "丙", "丁")]
    rules = RosterRules(anchor=D1, min_rest_days=0)
    base = [DutyDay(D1, ("甲", "丙"), "workday")]
    at = datetime(2026, 11, 20, 9, 0)
    swap = Override(1, "swap", D1, D1, "甲", "乙", "换班", at, "admin")
    leave = Override(2, "leave", D1, D1, "乙", None, "请假", at.replace(minute=5), "admin")
    day = apply(base, [swap, leave], staff, rules, calendar)[0]
    assert "甲" not in day.staff and set(day.staff) == {"丙", "丁"}


def test_members_on_keeps_people_outside_the_rotation_from_standing_in(calendar):
    staff = [StaffMember(n) for n in ("甲", "乙", "丙", "丁")]
    base = [DutyDay(D1, ("甲", "乙"), "workday")]
    leave = Override(1, "leave", D1, D1, "甲", None, "请假", datetime(2026, 11, 20), "admin")
    day = apply(base, [leave], staff, RosterRules(anchor=D1), calendar, members_on=lambda d: {"甲", "乙", "丁"})[0]
    assert set(day.staff) == {"乙", "丁"}
