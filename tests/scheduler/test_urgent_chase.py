"""Urgent tickets at night, walked minute by minute through the real staff channels (fake WeCom and
WeChat servers on 127.0.0.1): chased until someone acknowledges, every notice sent exactly once."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest

from bot.tickets.actions import answer, take, transfer
from tests.support.fakes.fake_wechat import FakeWeChat
from tests.support.fakes.fake_wecom import FakeWeCom
from tests.scheduler.chain_support import chain_desk
from tests.scheduler.helpers import local, staff
from tests.scheduler.timeline import notices, person, report, timeline, walk

GAS = "楼道里有很浓的煤气味，邻居家敲门没人应"


@pytest.fixture
def chain(db_url):
    oa, wecom = FakeWeChat().start(), FakeWeCom().start()
    desk = chain_desk(db_url, oa, wecom)
    yield desk, oa, wecom
    desk.close()
    oa.stop()
    wecom.stop()


def sent_once(desk, wecom) -> list:
    """Every staff notice was sent, once: one row per key, one accepted request per row."""
    rows = notices(desk)
    assert {r.status for r in rows} == {"sent"}
    assert Counter(r.dedupe_key for r in rows if r.dedupe_key).most_common(1)[0][1] == 1
    app = Counter(wecom.app_texts())
    assert all(app[r.text] >= 1 for r in rows if r.payload.get("via") == "wecom_app")
    assert sum(app.values()) == sum(1 for r in rows if r.payload.get("via") == "wecom_app")
    return rows


def chases(rows, kind: str) -> list[tuple[str, str]]:
    return [(f"{r.sent_at + timedelta(hours=8):%H:%M}", person(r)) for r in rows if r.text.startswith(kind)]


def test_an_urgent_message_at_three_nobody_touches_for_two_hours(chain, capsys):
    desk, oa, wecom = chain
    start = local(2026, 12, 2, 3, 0)  # duty day 12-01: 张伟 (the lead) and 杨磊
    walk(desk, local(2026, 12, 1, 8, 30), [0], twice=False)  # yesterday's handover and report are done
    tid = report(desk, GAS, start, priority="urgent", category="urgent")
    walk(desk, start, range(0, 121))
    rows = sent_once(desk, wecom)
    with capsys.disabled():
        print("\n" + "\n".join(timeline(desk, start)))
    pair = sorted(["张伟", "杨磊"])
    assert sorted(person(r) for r in rows if r.text.startswith(f"【紧急工单#{tid}】")) == pair  # at 03:00
    on_duty = chases(rows, "【紧急工单】")
    assert sorted(on_duty) == sorted((f"{3 + m // 60:02d}:{m % 60:02d}", n) for m in range(5, 121, 5) for n in pair)
    leads = chases(rows, "【升级通知】")
    assert [t for t, _ in leads] == [f"{3 + m // 60:02d}:{m % 60:02d}" for m in range(10, 121, 10)]
    assert {n for _, n in leads} == {"admin"}  # the lead, 张伟, is the one being chased: never him
    everyone = chases(rows, "【紧急求助·全员】")
    assert sorted({t for t, _ in everyone}) == ["03:30", "04:00", "04:30", "05:00"]
    assert Counter(t for t, _ in everyone)["03:30"] == 14  # the 13 staff and the admin
    about = [r for r in rows if r.ticket_id == tid]
    assert len(about) == 2 + len(on_duty) + len(leads) + len(everyone)  # nothing else, nothing twice
    assert all("煤气" in r.text and "微信尾号" in r.text for r in about)  # what and who, in every chase
    told = oa.texts(to="o_resident_1")  # the resident learns who was actually reached, once
    assert told == [f"【工单#{tid}】您的紧急情况已送达值班工作人员张伟，我们会尽快与您联系。如有生命危险请先拨打119、120或110。"]


def test_taken_then_silence_the_chase_stops_and_the_resolution_clock_runs(chain):
    desk, oa, wecom = chain
    start = local(2026, 12, 2, 4, 0)
    tid = report(desk, GAS, start, priority="urgent", category="urgent")
    walk(desk, start, range(0, 7))
    with desk.session() as s:
        from bot.db.models import Ticket

        t = s.get(Ticket, tid)
        holder = t.assignee.name
        take(s, t, staff(s, holder), start + timedelta(minutes=7))
    walk(desk, start, range(7, 100))
    rows = sent_once(desk, wecom)
    assert [t for t, _ in chases(rows, "【紧急工单】")] == ["04:05", "04:05"]  # nothing after 接单 at 04:07
    assert chases(rows, "【办理提醒】") == [("04:30", holder), ("05:00", holder), ("05:30", holder)]
    with desk.session() as s:
        t = s.get(Ticket, tid)
        answer(s, t, staff(s, holder), "燃气公司已到场关阀，已开窗通风，现场安全。", start + timedelta(minutes=100))
    walk(desk, start, range(100, 200))
    assert len(notices(desk)) == len(rows)  # answered: both clocks stopped


def test_a_follow_up_re_alerts_at_once_and_a_transfer_off_duty_keeps_the_pair_chasing(chain):
    desk, oa, wecom = chain
    start = local(2026, 12, 2, 4, 0)
    tid = report(desk, GAS, start, priority="urgent", category="urgent")
    walk(desk, start, range(0, 3))
    from bot.db.models import Ticket
    from bot.tickets.core import add_followup
    from tests.scheduler.timeline import Inbound, _ids
    from tests.support.harness import ACCOUNT

    with desk.session() as s:
        t = s.get(Ticket, tid)
        take(s, t, staff(s, "杨磊"), start + timedelta(minutes=3))
        follow = Inbound(open_id="o_resident_1", account=ACCOUNT, msg_key=f"msg:{next(_ids)}", kind="text",
                         at=start + timedelta(minutes=5), text="还是很大的味道，你们人呢")
        add_followup(s, desk.services, t, follow, start + timedelta(minutes=5))
    walk(desk, start, range(3, 6))
    rows = notices(desk)
    fresh = [person(r) for r in rows if "居民刚刚又发来消息" in r.text]
    assert sorted(fresh) == ["admin", "张伟", "杨磊"]  # at 04:05, everyone again (the lead's step: not 张伟)
    with desk.session() as s:
        t = s.get(Ticket, tid)
        transfer(s, desk.services, t, staff(s, "杨磊"), staff(s, "刘洋"), start + timedelta(minutes=10))
    walk(desk, start, range(6, 21))
    rows = sent_once(desk, wecom)
    [handed] = [r for r in rows if r.text.startswith(f"【紧急工单#{tid} 转交给您】")]
    assert person(handed) == "刘洋" and "煤气" in handed.text and "居民补充：还是很大的味道" in handed.text
    assert "紧急" in handed.text and "居民：" in handed.text
    [stays] = [r for r in rows if "今天不在值班" in r.text]
    assert person(stays) == "张伟"
    after = [(t, n) for t, n in chases(rows, "【紧急工单】") if t >= "04:10"]
    # the follow-up restarted the clock at 04:05: the chase runs at 04:10, 04:15, 04:20, to the pair and 刘洋
    assert sorted(after) == sorted((t, n) for t in ("04:10", "04:15", "04:20") for n in ("刘洋", "张伟", "杨磊"))
    with desk.session() as s:
        take(s, s.get(Ticket, tid), staff(s, "刘洋"), start + timedelta(minutes=21))
    walk(desk, start, range(21, 29))
    assert [r for r in notices(desk) if r.text.startswith("【紧急工单】") and r.created_at > start + timedelta(minutes=21)] == []
