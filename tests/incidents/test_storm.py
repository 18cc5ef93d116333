"""Goal: 40 reports of one outage from 40 residents in 20 minutes, through the webhook."""
from __future__ import annotations

from collections import Counter

from bot.outbox.dispatcher import dispatch_due
from bot.services import build_services
from tests.incidents.support import LINA, STAFF, WANGFANG, dispatch_all, staff_rows

TEXTS = ["5号楼停水了", "怎么没水了？", "5号楼是不是停水了", "家里水龙头不出水", "又停水了？？",
         "几点来水啊", "5号楼没水了，啥时候恢复", "我们楼停水了吗"]


def test_forty_reports_one_proposal_one_message_per_update(wx):
    desk, fake = wx
    replies: dict[str, str] = {}
    for i in range(40):
        who = f"o_storm_{i:02d}"
        msg_id = 70_000_000 + i
        replies[who] = desk.send(TEXTS[i % len(TEXTS)], as_=who, msg_id=msg_id)
        assert replies[who], who
        if i % 5 == 0:  # WeChat retries: the same MsgId gets the same reply and changes nothing
            assert desk.send(TEXTS[i % len(TEXTS)], as_=who, msg_id=msg_id) == replies[who]
        desk.clock.advance(seconds=30)
    before = staff_rows(desk)
    per_person = Counter(r.recipient for r in before)
    assert set(per_person) <= {WANGFANG, LINA} and max(per_person.values()) <= 2, per_person
    assert len({r.text for r in before}) <= 3  # two ticket notices, then ONE proposal to the pair
    assert sum("工单#" in replies[f"o_storm_{i:02d}"] for i in range(40)) == 2
    assert sum("多位居民反映" in r for r in replies.values()) == 38

    ack = desk.send("确认 #I1", as_=WANGFANG, msg_id=79_000_001)
    assert "已通知40位居民" in ack
    assert desk.send("确认 #I1", as_=WANGFANG, msg_id=79_000_001) == ack  # retry: no second broadcast
    first = dispatch_due(desk.services, now=desk.clock.now(), limit=10)  # dispatcher stops mid-way ...
    assert 0 < first <= 10
    restarted = build_services(desk.settings, clock=desk.clock)  # ... and a new one takes over
    assert dispatch_all(desk, services=restarted) > 0
    got = Counter(c.body["touser"] for c in fake.calls("message/custom/send") if c.ok)
    residents = {k: v for k, v in got.items() if k not in STAFF}
    assert len(residents) == 40 and set(residents.values()) == {1}, residents

    assert "已通知40位居民" in desk.send("通报 #I1 自来水公司正在抢修，预计15:00恢复", as_=LINA)
    dispatch_all(desk)
    got = Counter(c.body["touser"] for c in fake.calls("message/custom/send") if c.ok)
    assert {v for k, v in got.items() if k not in STAFF} == {2}
    restarted.engine.dispose()
