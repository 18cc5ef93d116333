"""A ticket climbs the whole escalation ladder, each notification exactly once."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

from bot.escalation import escalate_due
from scheduler import run_once
from tests.scheduler.helpers import answer, duty_pair, esc_outbox, events, follow_up, open_id_of, open_ticket

LEAD = "o_demo_staff_zhangwei"  # 张伟, the demo config's lead


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


def test_urgent_ticket_lead_reminders_and_no_double_alert_at_opening(desk):
    """The ticket service alerts everyone when it opens an urgent ticket; the ladder records
    those immediate steps without repeating them, then reminds the lead every 5 minutes."""
    start = desk.clock.now()
    tid = open_ticket(desk, subject="楼道里有很浓的煤气味", priority="urgent", assignee=duty_pair(desk)[0], at=start)
    first = sweep(desk, 0)
    assert [e.action for e in first] == ["notify_on_duty", "notify_lead"]
    assert all(e.data.get("covered_by") == "opening" for e in events(desk, tid))
    assert esc_outbox(desk) == []
    later = [e for m in range(1, 40) for e in sweep(desk, m)]
    assert [(e.action, e.n) for e in later] == [("notify_lead", n) for n in range(6)]
    rows = esc_outbox(desk)
    assert [o.recipient for o in rows] == [LEAD] * 6
    assert "【升级通知】" in rows[0].text and "已等待5分钟" in rows[0].text and "煤气" in rows[0].text
    assert len(events(desk, tid)) == 8


def test_urgent_follow_up_alerts_everyone_on_duty_and_the_lead_again(desk):
    start = desk.clock.now()
    pair = duty_pair(desk)
    tid = open_ticket(desk, subject="楼道里有很浓的煤气味", priority="urgent", assignee=pair[0], at=start)
    sweep(desk, 0)
    answer(desk, tid, start + timedelta(minutes=3))
    follow_up(desk, tid, start + timedelta(minutes=10))  # "味道更大了"
    done = sweep(desk, 10)
    assert [(e.action, sorted(e.recipients)) for e in done] == [
        ("notify_on_duty", sorted(pair)), ("notify_lead", ["张伟"])]
    rows = esc_outbox(desk)
    assert sorted(o.recipient for o in rows) == sorted([open_id_of(desk, n) for n in pair] + [LEAD])
    alert = next(o for o in rows if o.recipient == open_id_of(desk, pair[1]))
    assert alert.text.startswith(f"【紧急工单】工单 #{tid} 的居民刚刚又发来消息，需要立即处理！")


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


def test_quiet_hours_hold_low_priority_until_morning(desk):
    from bot.config import QuietHours

    desk.settings.escalation.quiet_hours = QuietHours(start="22:00", end="07:00", priorities=["low"])
    night = desk.clock.now() + timedelta(hours=13)  # 22:00 in Shanghai
    tid = open_ticket(desk, priority="low", assignee=duty_pair(desk)[0], at=night)
    urgent = open_ticket(desk, priority="urgent", assignee=duty_pair(desk)[0], at=night)
    with desk.session() as s:
        done = escalate_due(s, desk.services, night + timedelta(hours=2))
    assert {e.ticket_id for e in done} == {urgent}
    with desk.session() as s:
        done = escalate_due(s, desk.services, night + timedelta(hours=9))  # 07:00
    assert [(e.ticket_id, e.action) for e in done] == [(tid, "remind_assignee"), (tid, "notify_lead")]


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
