"""Shift change: open tickets pass to the incoming pair, who get a digest; the daily report."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from bot.db.models import InboundMessage, Outbox, Ticket, TicketEvent
from bot.sweeps.handover import handover_due
from bot.sweeps.reports import figures, report_due
from tests.scheduler.helpers import duty_pair, local, open_id_of, open_ticket


def test_handover_moves_the_outgoing_pairs_open_tickets(desk):
    evening = local(2026, 11, 30, 20, 0)
    out_a, out_b = duty_pair(desk, evening)
    t1 = open_ticket(desk, "楼上漏水", assignee=out_a, at=evening - timedelta(hours=3))
    t2 = open_ticket(desk, "燃气报警器一直响", "urgent", assignee=out_b, at=evening - timedelta(hours=1))
    t3 = open_ticket(desk, "办居住证要带什么", assignee=out_a, at=evening)
    with desk.session() as s:
        s.get(Ticket, t3).status = "closed"
        s.get(Ticket, t3).waiting_since = None
    with desk.session() as s:
        assert handover_due(s, desk.services, local(2026, 11, 30, 23, 0)).day.day == 30  # marks Nov 30 only
    morning = local(2026, 12, 1, 8, 31)
    incoming = duty_pair(desk, morning)
    with desk.session() as s:
        done = handover_due(s, desk.services, morning)
    assert done.incoming == incoming and done.open_tickets == 2
    assert sorted(t for t, _, _ in done.moved) == [t1, t2]
    with desk.session() as s:
        owners = {t.id: t.assignee.name for t in s.scalars(select(Ticket).where(Ticket.id.in_([t1, t2, t3])))}
        moves = s.scalars(select(TicketEvent).where(TicketEvent.kind == "handover")).all()
    assert sorted([owners[t1], owners[t2]]) == sorted(incoming)  # balanced: one each
    assert owners[t3] == out_a  # closed tickets stay where they were
    assert len(moves) == 2
    digests = [o for o in desk.outbox() if o.dedupe_key.startswith("handover:2026-12-01")]
    assert sorted(o.recipient for o in digests) == sorted(open_id_of(desk, n) for n in incoming)
    text = digests[0].text
    assert "目前有 2 件处理中的工单" in text and text.index(f"#{t1}") < text.index(f"#{t2}")
    assert f"【紧急】#{t2}" in text and "办居住证" not in text
    with desk.session() as s:
        assert handover_due(s, desk.services, morning + timedelta(minutes=30)) is None


def test_daily_report_goes_to_the_lead_once(desk):
    day = local(2026, 12, 1, 10, 0)
    with desk.session() as s:
        for i, decision in enumerate(["answer", "answer", "answer", "handoff"]):
            s.add(InboundMessage(msg_key=f"m{i}", open_id=f"o_r{i}", kind="text", text="问", sent_at=day,
                                 received_at=day + timedelta(minutes=i), decision=decision))
    tid = open_ticket(desk, at=day)
    with desk.session() as s:
        t = s.get(Ticket, tid)
        t.first_response_at = t.answered_at = day + timedelta(minutes=12)
        t.closed_at, t.status, t.waiting_since, t.rating = day + timedelta(hours=2), "closed", None, 5
    with desk.session() as s:
        f = figures(s, desk.settings, day.date())
    assert (f.messages, f.auto_answered, f.opened, f.closed) == (4, 3, 1, 1)
    assert f.median_first_response_min == 12.0 and (f.ratings, f.rating_avg) == (1, 5.0)
    next_morning = local(2026, 12, 2, 8, 40)
    with desk.session() as s:
        assert [f.day for f in report_due(s, desk.services, next_morning)] == [day.date()]
    with desk.session() as s:
        assert report_due(s, desk.services, next_morning + timedelta(hours=1)) == []
        reports = s.scalars(select(Outbox).where(Outbox.dedupe_key.like("report:%"))).all()
    assert [o.recipient for o in reports] == ["o_demo_staff_zhangwei"]
    assert "居民消息 4 条，机器人自动解答 3 条（75%）" in reports[0].text
    assert "首次回复用时中位数：12分钟" in reports[0].text and "平均 5.0 分" in reports[0].text


def test_reports_missed_during_an_outage_are_sent_when_the_scheduler_returns(desk):
    with desk.session() as s:
        assert [f.day.day for f in report_due(s, desk.services, local(2026, 12, 2, 9, 0))] == [1]
    with desk.session() as s:  # nothing ran from Dec 2 09:00 until Dec 5 10:00
        assert [f.day.day for f in report_due(s, desk.services, local(2026, 12, 5, 10, 0))] == [2, 3, 4]
    with desk.session() as s:
        assert report_due(s, desk.services, local(2026, 12, 5, 11, 0)) == []
    reports = [o for o in desk.outbox() if o.dedupe_key.startswith("report:")]
    assert [o.dedupe_key.split(":")[1] for o in reports] == ["2026-12-01", "2026-12-02", "2026-12-03", "2026-12-04"]
    assert "12月3日值班情况（12月3日08:30至12月4日08:30）" in reports[2].text


def test_a_fresh_install_reports_only_yesterday(desk):
    with desk.session() as s:
        assert [f.day.day for f in report_due(s, desk.services, local(2026, 12, 9, 9, 0))] == [8]
