"""Through the real webhook: a resident's ticket escalates, the staff answer in WeChat stops it,
the resident's follow-up restarts it."""
from __future__ import annotations

from datetime import timedelta

from bot.db.models import Ticket
from scheduler import run_once
from tests.scheduler.helpers import events, open_id_of


def steps(desk, ticket_id):
    return [(e.data["step"], e.data["n"]) for e in events(desk, ticket_id)]


def test_staff_answer_stops_the_ladder_and_a_follow_up_restarts_it(desk):
    desk.send("我想问一下社区有没有给老人理发的志愿服务，下周三能来我家吗")
    reply = desk.send("转人工")
    assert "工单#1" in reply
    with desk.session() as s:
        t = s.get(Ticket, 1)
        ladder, assignee, opened = getattr(desk.settings.escalation, t.priority), t.assignee.name, t.waiting_since
    first = ladder[0].after_min
    run_once(desk.services, opened + timedelta(minutes=first - 1))
    assert steps(desk, 1) == []
    run_once(desk.services, opened + timedelta(minutes=first))
    run_once(desk.services, opened + timedelta(minutes=first))
    assert steps(desk, 1) == [(0, 0)]
    desk.clock.set(opened + timedelta(minutes=first + 2))
    desk.send("#1 您好，社区每月第二个周三有志愿者上门理发，我帮您登记。", as_=open_id_of(desk, assignee))
    with desk.session() as s:
        assert s.get(Ticket, 1).waiting_since is None
    for hours in range(1, 3):
        run_once(desk.services, opened + timedelta(hours=hours))
    assert steps(desk, 1) == [(0, 0)]
    follow_at = opened + timedelta(hours=3)  # within the thread's window (bot.tickets.matter.STALE_AFTER)
    desk.clock.set(follow_at)
    reply = desk.send("好的，理发的事我下周三下午在家，师傅来之前先打我电话")
    with desk.session() as s:
        assert s.get(Ticket, 1).waiting_since == follow_at, reply
        assert s.get(Ticket, 1).waiting_since == follow_at
    run_once(desk.services, follow_at + timedelta(minutes=first))
    assert steps(desk, 1) == [(0, 0), (0, 0)]
    keys = [e.dedupe_key for e in events(desk, 1)]
    assert keys[0] != keys[1] and follow_at.isoformat() in keys[1]
    reminders = [o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:1:")]
    assert len(reminders) == 2 and all("#1" in o.text and "接单 1" in o.text for o in reminders)


def test_an_urgent_report_is_chased_until_a_staff_member_takes_it_in_wechat(desk):
    reply = desk.send("楼道里煤气味特别大，邻居家没人开门")
    assert "119" in reply or "燃气" in reply
    with desk.session() as s:
        t = s.get(Ticket, 1)
        assert t.priority == "urgent"
        opened, holder = t.created_at, t.assignee.name
    at_opening = len(desk.outbox())
    assert at_opening >= 2  # the ticket service alerted the duty pair and the lead
    run_once(desk.services, opened)
    run_once(desk.services, opened + timedelta(minutes=1))
    assert [o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:")] == []
    run_once(desk.services, opened + timedelta(minutes=5))
    reminders = [o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:")]
    assert sorted(o.recipient for o in reminders) == sorted(open_id_of(desk, n) for n in ("张伟", "杨磊"))
    assert all("还没有人接单" in o.text for o in reminders)
    desk.clock.set(opened + timedelta(minutes=7))
    assert "已接单" in desk.send("接单 1", as_=open_id_of(desk, holder))
    for minute in range(7, 30):
        run_once(desk.services, opened + timedelta(minutes=minute))
    assert len([o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:")]) == 2  # the chase stopped
    run_once(desk.services, opened + timedelta(minutes=30))
    last = [o for o in desk.outbox() if (o.dedupe_key or "").startswith("esc:")][-1]
    assert last.recipient == open_id_of(desk, holder) and "已有人接单" in last.text  # the resolution clock


def test_an_urgent_follow_up_is_never_told_to_wait_and_everyone_is_alerted_again(desk):
    desk.send("楼道里煤气味特别大，邻居家没人开门")
    with desk.session() as s:
        opened = s.get(Ticket, 1).created_at
    run_once(desk.services, opened)
    desk.clock.set(opened + timedelta(minutes=3))
    reply = desk.send("还是很大的味道，你们人呢")
    assert "请耐心等候" not in reply and "正在再次通知所有值班工作人员" in reply and "119" in reply
    run_once(desk.services, opened + timedelta(minutes=3))
    again = [o for o in desk.outbox() if "居民刚刚又发来消息" in o.text]
    assert sorted(o.recipient for o in again if o.text.startswith("【紧急工单】")) == sorted(
        open_id_of(desk, n) for n in ("张伟", "杨磊"))
