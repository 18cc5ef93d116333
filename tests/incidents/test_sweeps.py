"""The escalation sweep chases an incident as one unit; the daily report counts incidents."""
from __future__ import annotations

import re
from datetime import timedelta

from sqlalchemy import select

from bot.db.models import TicketEvent
from scheduler import run_once
from tests.incidents.support import LINA, WANGFANG, ZHANGWEI, incident, staff_rows


def test_one_reminder_per_incident_and_no_storm_for_linked_tickets(wx):
    desk, _ = wx
    for i in range(2):
        desk.send("6号楼没电了", as_=f"o_dark_{i}")
        desk.clock.advance(minutes=1)
    desk.send("通报 6号楼停电，供电公司正在抢修，预计10:00恢复", as_=WANGFANG)
    for i in range(2, 12):
        desk.send("6号楼停电了吗", as_=f"o_dark_{i}")
    before = len(staff_rows(desk))
    for minutes in (30, 60, 90, 120, 150):  # 09:30 … 11:30, every sweep run twice
        at = desk.clock.now() + timedelta(minutes=minutes)
        run_once(desk.services, at=at, outbox=False)
        run_once(desk.services, at=at, outbox=False)
    reminders = [r for r in staff_rows(desk)[before:] if "通报#I1 提醒" in r.text]
    assert sorted(r.recipient for r in reminders) == sorted([WANGFANG, LINA])
    assert "12位居民在等待消息" in reminders[0].text
    # Nothing chases the linked tickets one by one: they stopped their own clocks when the incident went live.
    chasing = [r.text for r in staff_rows(desk)[before:] if re.search(r"工单#[12](?!\d)", r.text)]
    assert chasing == []
    with desk.session() as s:
        assert s.scalars(select(TicketEvent).where(TicketEvent.kind == "escalation")).all() == []


def test_daily_report_counts_incidents_linked_reports_and_time_to_first_update(wx):
    desk, _ = wx
    desk.send("5号楼停水了", as_="o_dry_1")
    desk.clock.advance(minutes=12)
    desk.send("通报 5号楼停水，正在抢修", as_=LINA)
    desk.send("是不是停水了", as_="o_dry_2")
    desk.clock.advance(minutes=60)
    desk.send("通报 #I1 已恢复供水", as_=LINA)
    run_once(desk.services, at=desk.clock.now() + timedelta(days=1), outbox=False)
    report = [r.text for r in staff_rows(desk) if r.recipient == ZHANGWEI and "值班日报" in r.text]
    assert report and "社区通报 1 个，归入通报的居民反映 2 条，首次通报用时中位数：12分钟" in report[0]
    assert incident(desk).status == "closed"  # the recovery window passed: it no longer answers
