"""A ticket climbs the whole escalation ladder, each notification exactly once."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.sweeps.escalation import escalate_due
from scheduler import run_once
from tests.scheduler.helpers import (
    answer, duty_pair, esc_outbox, events, follow_up, open_id_of, open_ticket, staff,
)

LEAD = "o_demo_staff_zhangwei"  # 张伟, the demo config's lead


def admin_recipient(desk) -> str:
    """The outbox recipient of the console's demo admin (no WeChat binding)."""
    with desk.session() as s:
        return f"staff:{staff(s, 'admin').id}"


def sweep(desk, minutes: int = 0):
    """Two sweeps at the same instant, as two overlapping schedulers would run them."""
    now = desk.clock.now() + timedelta(minutes=minutes)
    with desk.session() as s:
        first = escalate_due(s, desk.services, now)
    with desk.session() as s:
        second = escalate_due(s, desk.services, now)
    assert second == [], "a second sweep at the same instant must do nothing"
    return first


def test_normal_ticket_walks_the_whole_ladder_once(desk):
    start = desk.clock.now()
    first, other = duty_pair(desk)
    tid = open_ticket(desk, assignee=first, at=start)
    taken = {}
    for minute in range(0, 7 * 60 + 1):
        for e in sweep(desk, minute):
            taken[(e.step, e.n)] = (minute, e.action, e.recipients)
    assert taken == {
        (0, 0): (15, "remind_assignee", [first]),
        (1, 0): (30, "reassign_other", [other]),
        **{(2, n): (60 + 60 * n, "notify_lead", ["张伟"]) for n in range(6)},
    }
    rows = esc_outbox(desk)
    assert Counter(o.dedupe_key for o in rows).most_common(1)[0][1] == 1
    assert [o.recipient for o in rows] == [open_id_of(desk, first), open_id_of(desk, other)] + [LEAD] * 6
    assert "#%d" % tid in rows[0].text and "等待15分钟" in rows[0].text and f"接单 {tid}" in rows[0].text
    assert f"{first}尚未回复" in rows[1].text and "门禁卡" in rows[1].text
    assert "第6次提醒" in rows[-1].text and "等待6小时" in rows[-1].text
    assert len(events(desk, tid)) == 8
    with desk.session() as s:
        from bot.db.models import Ticket

        t = s.get(Ticket, tid)
        assert t.assignee.name == other and t.escalation_level == 3


def test_an_answer_stops_the_ladder_and_a_follow_up_restarts_it(desk):
    start = desk.clock.now()
    tid = open_ticket(desk, assignee=duty_pair(desk)[0], at=start)
    assert [e.action for e in sweep(desk, 15)] == ["remind_assignee"]
    answer(desk, tid, start + timedelta(minutes=20))
    assert all(sweep(desk, m) == [] for m in range(20, 200, 5))
    follow_up(desk, tid, start + timedelta(minutes=200))
    assert sweep(desk, 214) == []
    again = sweep(desk, 215)
    assert [(e.action, e.n) for e in again] == [("remind_assignee", 0)]
    assert again[0].key != events(desk, tid)[0].dedupe_key  # a new response clock, a new key
    assert len(esc_outbox(desk)) == 2


def test_catching_up_after_downtime_sends_only_the_latest_repetition(desk):
    start = desk.clock.now()
    tid = open_ticket(desk, assignee=duty_pair(desk)[0], at=start)
    done = sweep(desk, 200)  # the scheduler was down for 3 h 20 min
    assert [(e.action, e.n) for e in done] == [("remind_assignee", 0), ("reassign_other", 0), ("notify_lead", 2)]
    assert [(e.action, e.n) for e in sweep(desk, 239)] == []
    assert [(e.action, e.n) for e in sweep(desk, 240)] == [("notify_lead", 3)]
    lead_msgs = [o for o in esc_outbox(desk) if o.dedupe_key.split("@")[0].rsplit(":", 2)[1] == "2"]
    assert len(lead_msgs) == 2 and all(o.ticket_id == tid and o.recipient == LEAD for o in lead_msgs)


def test_urgent_ticket_is_chased_until_someone_takes_it_and_no_double_alert_at_opening(desk):
    """The ticket service alerts everyone when it opens an urgent ticket; the ladder records those
    immediate steps without repeating them, then chases the pair every 5 minutes and the lead every
    10 until someone takes it (接单); after that only the resolution clock runs."""
    start = desk.clock.now()
    pair = duty_pair(desk)
    holder = next(n for n in pair if n != "张伟")
    tid = open_ticket(desk, subject="楼道里有很浓的煤气味", priority="urgent", assignee=holder, at=start)
    first = sweep(desk, 0)
    assert [e.action for e in first] == ["notify_on_duty", "notify_lead"]
    assert all(e.data.get("covered_by") == "opening" for e in events(desk, tid))
    assert esc_outbox(desk) == []
    later = [(m, e.action, e.n) for m in range(1, 61) for e in sweep(desk, m)]
    assert [x for x in later if x[1] == "notify_on_duty"] == [(5 + 5 * n, "notify_on_duty", n) for n in range(12)]
    assert [x for x in later if x[1] == "notify_all_staff"] == [(30, "notify_all_staff", 0), (60, "notify_all_staff", 1)]
    leads = [x for x in later if x[1] == "notify_lead"]
    assert leads == [(10 + 10 * n, "notify_lead", n) for n in range(6)]
    rows = [o for o in esc_outbox(desk) if ":1:" in o.dedupe_key.split("@")[0][-6:] or "【升级通知】" in o.text]
    assert rows and all("煤气" in o.text and "居民：" in o.text for o in rows)
    from tests.scheduler.helpers import take

    take(desk, tid, holder, start + timedelta(minutes=61))
    after = [(m, e.action, e.n) for m in range(61, 150) for e in sweep(desk, m)]
    assert after == [(90, "remind_assignee", 2), (120, "remind_assignee", 3)]  # resolution clock only
    assert "已有人接单" in esc_outbox(desk)[-1].text


def test_urgent_follow_up_alerts_everyone_on_duty_and_the_lead_again(desk):
    start = desk.clock.now()
    pair = duty_pair(desk)
    tid = open_ticket(desk, subject="楼道里有很浓的煤气味", priority="urgent", assignee=pair[0], at=start)
    sweep(desk, 0)
    answer(desk, tid, start + timedelta(minutes=3))
    follow_up(desk, tid, start + timedelta(minutes=10))  # "味道更大了"
    done = sweep(desk, 10)
    # 张伟, the lead, is on duty and being chased: the lead step goes to the admin instead
    assert [(e.action, sorted(e.recipients)) for e in done] == [
        ("notify_on_duty", sorted(pair)), ("notify_lead", ["admin"])]
    rows = esc_outbox(desk)
    assert sorted(o.recipient for o in rows) == sorted([open_id_of(desk, n) for n in pair] + [admin_recipient(desk)])
    alert = next(o for o in rows if o.recipient == open_id_of(desk, pair[1]))
    assert alert.text.startswith(f"【紧急工单】工单 #{tid} 的居民刚刚又发来消息，还没有人接单，需要立即处理！")


def test_run_once_is_idempotent_and_reports_what_it_did(desk):
    start = desk.clock.now()
    open_ticket(desk, assignee=duty_pair(desk)[0], at=start)
    at = start + timedelta(minutes=15)
    first = run_once(desk.services, at)
    assert first["escalations"] and "remind_assignee" in first["escalations"][0]
    assert first["handover"]["incoming"] == duty_pair(desk)
    before = len(desk.outbox())
    second = run_once(desk.services, at)
    assert second["escalations"] == [] and second["handover"] is None and second["report"] is None
    assert len(desk.outbox()) == before


def test_quiet_hours_pause_the_low_ladder_and_the_morning_does_not_fire_a_night_at_once(desk):
    from bot.config import QuietHours

    desk.settings.escalation.quiet_hours = QuietHours(start="22:00", end="07:00", priorities=["low"])
    night = desk.clock.now() + timedelta(hours=13)  # 22:00 in Shanghai
    tid = open_ticket(desk, priority="low", assignee=duty_pair(desk)[0], at=night)
    urgent = open_ticket(desk, priority="urgent", assignee=duty_pair(desk)[0], at=night)
    with desk.session() as s:
        done = escalate_due(s, desk.services, night + timedelta(hours=2))
    assert {e.ticket_id for e in done} == {urgent}
    with desk.session() as s:  # 07:00: the ladder's clock starts now, nothing is due at once
        done = escalate_due(s, desk.services, night + timedelta(hours=9))
    assert [e for e in done if e.ticket_id == tid] == []
    with desk.session() as s:  # 08:00: one active hour, the first step
        done = escalate_due(s, desk.services, night + timedelta(hours=10))
    assert [(e.ticket_id, e.action) for e in done if e.ticket_id == tid] == [(tid, "remind_assignee")]


def test_with_nobody_on_duty_an_unassigned_ticket_reaches_the_lead(desk):
    class NobodyOnDuty:
        def __init__(self, real):
            self.real = real

        def on_duty(self, session, at):
            return []

        def leads(self, session):
            return self.real.leads(session)

    desk.services.duty = NobodyOnDuty(desk.services.duty)
    open_ticket(desk, at=desk.clock.now())
    done = sweep(desk, 15)
    assert [(e.action, e.recipients) for e in done] == [("remind_assignee", ["张伟"])]
    assert [o.recipient for o in esc_outbox(desk)] == [LEAD]
