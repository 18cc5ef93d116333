"""A whole incident through the webhook: reports, one proposal, confirmation, updates, recovery."""
from __future__ import annotations

from bot.db.models import IncidentReport, Ticket
from sqlalchemy import select
from tests.incidents.support import (LINA, WANGFANG, Transcript, incident, resident_rows, staff_rows,
                                     ticket)


def test_proposal_confirmation_update_recovery(wx):
    desk, fake = wx
    t = Transcript(desk, fake)
    assert "工单#1" in t.send("o_res_01", "5号楼停水了，什么时候来水？")
    desk.clock.advance(minutes=4)
    assert "工单#2" in t.send("o_res_02", "我们5号楼怎么没水了")
    desk.clock.advance(minutes=3)
    third = t.send("o_res_03", "5号楼又停水了？？")
    assert "多位居民反映5号楼供水" in third and "工单" not in third
    proposals = [r for r in staff_rows(desk) if "疑似同一事件 #I1" in r.text]
    assert {r.recipient for r in proposals} == {WANGFANG, LINA} and len(proposals) == 2
    assert "工单#1" in proposals[0].text and "工单#2" in proposals[0].text
    t.dispatch()
    desk.clock.advance(minutes=2)
    fourth = t.send("o_res_04", "5号楼是不是停水了")
    assert "多位居民反映" in fourth
    staff_before = len(staff_rows(desk))

    desk.clock.advance(minutes=5)
    ack = t.send(WANGFANG, "通报 #I1 5号楼主管道爆裂，自来水公司正在抢修，预计18:00恢复")
    assert "已发布通报#I1" in ack and "工单#1、工单#2" in ack and "已通知4位居民" in ack
    assert incident(desk).status == "open" and incident(desk).title == "5号楼主管道爆裂"
    assert ticket(desk, 1).waiting_since is None and ticket(desk, 2).waiting_since is None
    t.dispatch()
    for who in ("o_res_01", "o_res_02", "o_res_03", "o_res_04"):
        texts = fake.texts(to=who)
        assert len(texts) == 1 and "自来水公司正在抢修" in texts[0], (who, texts)
    assert "工单#1已并入此通报" in fake.texts(to="o_res_01")[0]

    desk.clock.advance(minutes=20)
    late = t.send("o_res_05", "停水了吗？")
    assert "最新情况" in late and "自来水公司正在抢修" in late and "18:00" in late
    assert resident_rows(desk, "o_res_05") == []

    desk.clock.advance(minutes=60)
    assert "已通知5位居民" in t.send(LINA, "通报 #I1 预计推迟到20:00")
    t.dispatch()
    assert [len(fake.texts(to=f"o_res_0{i}")) for i in range(1, 6)] == [2, 2, 2, 2, 1]  # 05 joined late
    assert "20:00" in fake.texts(to="o_res_05")[0]

    desk.clock.advance(minutes=90)
    done = t.send(LINA, "通报 #I1 已恢复供水，感谢大家的耐心")
    assert "已通知5位居民" in done and "2个工单已办结" in done
    t.dispatch()
    for i in range(1, 6):
        texts = fake.texts(to=f"o_res_0{i}")
        assert len(texts) == (3 if i < 5 else 2) and "已恢复" in texts[-1] and "评分" in texts[-1]
    assert ticket(desk, 1).status == "closed" and "已同时办结" in fake.texts(to="o_res_01")[-1]
    assert "感谢您的评价（5分）" in t.send("o_res_03", "5")
    with desk.session() as s:
        assert s.scalar(select(IncidentReport.rating).where(IncidentReport.open_id == "o_res_03")) == 5
    assert len(staff_rows(desk)) == staff_before  # staff were never told per report after the proposal
    print("\n" + t.text())
