"""Roster changes move the work, the backlog stays visible, quiet hours tell the truth — each walked
minute by minute with every sweep run twice per minute, every notice exactly once."""
from __future__ import annotations

from collections import Counter
from datetime import date, timedelta

from bot.config import QuietHours
from bot.db.models import Staff, Ticket
from bot.tickets.views import acknowledgement
from tests.scheduler.helpers import duty_pair, local
from tests.scheduler.timeline import notices, person, report, walk


def once(desk) -> list:
    rows = notices(desk)
    keys = Counter(r.dedupe_key for r in rows if r.dedupe_key)
    assert not keys or keys.most_common(1)[0][1] == 1
    return rows


def started(desk, rows, prefix: str) -> list[str]:
    return [person(r) for r in rows if r.text.startswith(prefix)]


def test_leave_mid_shift_moves_the_tickets_and_tells_the_stand_in_at_once(desk):
    from bot.roster.changes import leave

    day = local(2026, 12, 1, 8, 30)
    walk(desk, day, [0])
    a = report(desk, "3号楼2单元楼道灯坏了好几天了", local(2026, 12, 1, 9, 0))
    b = report(desk, "想咨询一下居住证明怎么开", local(2026, 12, 1, 9, 5))
    with desk.session() as s:
        held = {t.id: t.assignee.name for t in s.query(Ticket)}
    assert sorted(held.values()) == ["张伟", "杨磊"]
    leaver = held[a]
    with desk.session() as s:  # at 14:00 the leaver goes home sick: leave for today
        leave(s, leaver, date(2026, 12, 1), date(2026, 12, 1), "admin", local(2026, 12, 1, 14, 0),
              settings=desk.settings)
    now_on = duty_pair(desk, local(2026, 12, 1, 14, 1))
    assert leaver not in now_on and len(now_on) == 2
    stand_in = next(n for n in now_on if n not in held.values())
    walk(desk, local(2026, 12, 1, 14, 0), range(0, 30))
    rows = once(desk)
    with desk.session() as s:
        assert s.get(Ticket, a).assignee.name in now_on and s.get(Ticket, b).assignee.name in now_on
    [digest] = [r for r in rows if r.text.startswith("【临时值班】")]
    assert person(digest) == stand_in and f"#{a} " in digest.text and f"#{b} " in digest.text
    assert f"{leaver}今天不再值班" in digest.text
    [bye] = [r for r in rows if r.text.startswith(f"【值班变更】{leaver}")]
    assert person(bye) == leaver and "1 件工单已转给现在的值班人员，无需再处理" in bye.text
    told = {person(r) for r in rows if r.text.startswith("【值班变更】")}
    assert told == {leaver} | (set(now_on) - {stand_in})
    later = [r for r in rows if (r.dedupe_key or "").startswith(f"esc:{a}:")]
    assert later and all(person(r) != leaver for r in later if r.created_at > local(2026, 12, 1, 14, 0))


def test_a_new_staff_member_added_mid_shift_changes_nothing_today(desk):
    from bot.roster.plans import ensure_baseline

    walk(desk, local(2026, 12, 1, 8, 30), [0])
    before, count = duty_pair(desk), len(notices(desk))
    with desk.session() as s:  # as `linli user add` does without a date
        ensure_baseline(s, desk.settings, local(2026, 12, 1, 14, 0), "admin")
        s.add(Staff(name="郑洁", role="staff", eligible=True, rotation_order=99))
    walk(desk, local(2026, 12, 1, 14, 0), range(0, 10))
    assert duty_pair(desk, local(2026, 12, 1, 14, 10)) == before
    assert len(notices(desk)) == count  # no duty change, nothing moved, nobody told
    tid = report(desk, "小区北门的路灯不亮了", local(2026, 12, 1, 14, 10))
    with desk.session() as s:
        assert s.get(Ticket, tid).assignee.name in before


def test_a_three_day_old_ticket_stays_visible_every_day(desk):
    start = local(2026, 12, 1, 9, 0)
    walk(desk, local(2026, 12, 1, 8, 30), [0])
    tid = report(desk, "楼上住户深夜装修噪音太大，已经持续一周了", start, priority="normal", category="complaint")
    hours = [m for m in range(0, 7 * 60 + 1)]  # the ladder, minute by minute
    hours += list(range(7 * 60 + 10, 3 * 24 * 60 + 10, 10))  # then every ten minutes for three days
    walk(desk, start, hours)
    rows = once(desk)
    leads = [r for r in rows if r.text.startswith("【升级通知】")]
    assert len(leads) == 6  # the per-ticket reminders end...
    digests = [r for r in rows if r.text.startswith("【逾期工单日报】")]  # ...and a daily digest carries on
    assert [(f"{r.created_at + timedelta(hours=8):%m-%d %H:%M}", person(r)) for r in digests] == [
        ("12-02 08:30", "张伟"), ("12-03 08:30", "张伟"), ("12-04 08:30", "张伟")]
    assert ["已等23小时30分钟" in digests[0].text, "已等1天23小时" in digests[1].text] == [True, True]
    assert "已等2天23小时" in digests[2].text and f"#{tid} " in digests[2].text
    handovers = [r for r in rows if r.text.startswith("【交班】") and r.created_at > start]
    assert len(handovers) == 6 and all(f"#{tid} " in r.text for r in handovers)
    reports = [r for r in rows if r.text.startswith("【值班日报】") and r.created_at > start]
    assert len(reports) == 3
    assert all("目前未办结工单 1 件（紧急 0 件，逾期 1 件）" in r.text and f"【逾期】#{tid} " in r.text for r in reports)
    assert "当日升级的工单：#1 通知负责人" in reports[0].text


def test_a_night_in_quiet_hours_tells_the_truth_and_the_morning_brings_one_digest_each(desk):
    desk.settings.escalation.quiet_hours = QuietHours(start="22:00", end="08:00", priorities=["high", "normal", "low"])
    walk(desk, local(2026, 12, 1, 8, 30), [0])
    night = local(2026, 12, 1, 22, 30)
    first = report(desk, "物业乱收停车费，我要投诉", night, priority="high", category="complaint")
    second = report(desk, "明天社区办公室几点开门", night + timedelta(minutes=30), category="consult")
    third = report(desk, "楼下垃圾桶满了没人清", night + timedelta(minutes=40))
    with desk.session() as s:
        ack = acknowledgement(s.get(Ticket, first), desk.settings)
        owners = {t.id: t.assignee.name for t in s.query(Ticket)}
    assert "现在是夜间时段，会在明早8点后处理" in ack and "30分钟" not in ack and "0371-67830000" in ack
    assert {r.status for r in notices(desk) if r.ticket_id} == {"held"}
    walk(desk, night, range(0, 11 * 60))  # 22:30 -> 09:29
    rows = once(desk)
    digests = [r for r in rows if r.text.startswith("【夜间汇总】")]
    assert sorted(person(r) for r in digests) == sorted(set(owners.values()))  # one per person
    assert all(r.created_at == local(2026, 12, 2, 8, 0) for r in digests)
    mine = next(r for r in digests if person(r) == owners[first])
    assert f"【新工单#{first}】" in mine.text
    assert {r.status for r in rows if r.ticket_id and r.payload.get("held")} == {"merged"}
    steps = sorted((f"{r.created_at + timedelta(hours=8):%H:%M}", r.text[:6]) for r in rows
                   if (r.dedupe_key or "").startswith("esc:"))
    assert steps[0] == ("08:10", "【待回复提醒") and all(t >= "08:10" for t, _ in steps)  # no burst at 08:00
    per_ticket = Counter((r.ticket_id, r.created_at) for r in rows if (r.dedupe_key or "").startswith("esc:"))
    assert max(per_ticket.values()) == 1  # one step at a time per ticket: no reminder+reassign+lead at once
    first_steps = [(f"{r.created_at + timedelta(hours=8):%H:%M}", r.ticket_id) for r in rows
                   if (r.dedupe_key or "").startswith("esc:") and r.text.startswith("【待回复提醒】")]
    assert sorted(first_steps) == [("08:10", first), ("08:15", second), ("08:15", third)]


def test_a_swap_for_today_is_announced_and_moves_the_work(desk):
    from bot.roster.changes import swap

    walk(desk, local(2026, 12, 1, 8, 30), [0])
    tid = report(desk, "单元门禁坏了进不去", local(2026, 12, 1, 9, 0))
    with desk.session() as s:
        holder = s.get(Ticket, tid).assignee.name
        swap(s, date(2026, 12, 1), holder, "刘洋", "admin", local(2026, 12, 1, 11, 0), settings=desk.settings)
    walk(desk, local(2026, 12, 1, 11, 0), range(0, 5))
    rows, pair = once(desk), duty_pair(desk, local(2026, 12, 1, 11, 5))
    assert "刘洋" in pair and holder not in pair
    with desk.session() as s:
        assert s.get(Ticket, tid).assignee.name in pair
    assert [person(r) for r in rows if r.text.startswith("【临时值班】")] == ["刘洋"]
    assert sorted(person(r) for r in rows if r.text.startswith("【值班变更】")) == sorted(
        [holder] + [n for n in pair if n != "刘洋"])


def test_a_follow_up_next_morning_goes_to_the_pair_now_on_duty(desk):
    from bot.tickets.actions import answer
    from bot.tickets.core import add_followup
    from tests.support.harness import ACCOUNT
    from tests.scheduler.timeline import Inbound, _ids

    walk(desk, local(2026, 12, 1, 8, 30), [0])
    tid = report(desk, "社区有没有老年食堂", local(2026, 12, 1, 9, 0), category="consult")
    with desk.session() as s:
        t = s.get(Ticket, tid)
        answer(s, t, t.assignee, "有的，在3号楼一楼，中午11点到12点半。", local(2026, 12, 1, 9, 30))
    walk(desk, local(2026, 12, 2, 8, 30), [0])  # the next shift change
    today = duty_pair(desk, local(2026, 12, 2, 9, 0))
    with desk.session() as s:
        t = s.get(Ticket, tid)
        assert t.assignee.name in today
        follow = Inbound(open_id="o_resident_1", account=ACCOUNT, msg_key=f"msg:{next(_ids)}", kind="text",
                         at=local(2026, 12, 2, 9, 0), text="老年食堂需要提前预约吗")
        add_followup(s, desk.services, t, follow, local(2026, 12, 2, 9, 0))
    [notice] = [r for r in notices(desk) if r.ticket_id == tid and "老年食堂需要提前预约吗" in r.text]
    assert person(notice) in today


def test_quiet_hours_never_hold_a_possible_emergency(desk):
    desk.settings.escalation.quiet_hours = QuietHours(start="22:00", end="08:00", priorities=["high", "normal", "low"])
    walk(desk, local(2026, 12, 1, 8, 30), [0])
    night = local(2026, 12, 1, 23, 0)
    tid = report(desk, "隔壁老人两天没出门了，敲门也没人应", night, priority="high", category="aid", reason="caution")
    walk(desk, night, range(0, 21))
    rows = [r for r in once(desk) if r.ticket_id == tid]
    assert rows and {r.status for r in rows} == {"sent"}  # not held for the morning
    assert [r.text.split("】")[0] + "】" for r in rows if (r.dedupe_key or "").startswith("esc:")] == ["【待回复提醒】", "【工单转派】"]

