"""A retry storm: every message delivered three times at once, to two gunicorn instances sharing the database."""
from __future__ import annotations

import random
import time
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor

import pytest

from bench.workload import HANDOFF_CANDIDATES, MENU_CANDIDATES
from bot.wechat.simulate import text_xml
from tests.faults.conftest import scaled
from tests.faults.helpers import ACCOUNT, deliver, scalar_rows, simulator

TEXTS = ["社区服务大厅几点开门？几点关门？", "新生儿怎么上户口？", "暖气不热找谁"] + MENU_CANDIDATES[:4] + \
        HANDOFF_CANDIDATES[:6]


IMAGE = "[image]"  # a photo always becomes a ticket, whatever the FAQ matcher decides today


def image_xml(open_id: str, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{open_id}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[image]]></MsgType>"
            f"<PicUrl><![CDATA[http://mmbiz.qpic.cn/fake/{msg_id}]]></PicUrl>"
            f"<MediaId><![CDATA[media_{msg_id}]]></MediaId><MsgId>{msg_id}</MsgId></xml>")


@pytest.mark.slow
def test_three_concurrent_deliveries_store_one_message_one_ticket_and_get_one_reply(deploy):
    dep = deploy(workers=2, threads=2, instances=2, schedulers=0)
    sim = simulator(dep)
    ports = [dep.apps[0].port, dep.apps[1].port, dep.apps[0].port]  # two workers of A, one of B (or so)
    rng = random.Random(11)
    messages = [(f"o_storm_{i}", rng.choice(TEXTS + [IMAGE]), 7_000_000 + i) for i in range(scaled(40))]
    replies: dict[int, list] = defaultdict(list)
    with ThreadPoolExecutor(max_workers=12) as pool:
        futures = {}
        for open_id, text, msg_id in messages:
            xml = image_xml(open_id, msg_id) if text is IMAGE else text_xml(open_id, ACCOUNT, text, msg_id)
            for port in ports:
                futures[pool.submit(deliver, port, sim, xml)] = msg_id
        for fut, msg_id in futures.items():
            replies[msg_id].append(fut.result())
    for msg_id, got in replies.items():
        assert [status for status, _, _ in got] == [200, 200, 200], (msg_id, got)
        texts = {reply for _, reply, _ in got}
        assert len(texts) == 1, (msg_id, texts)  # the same reply to every delivery
        assert "出了点小问题" not in texts.pop()
    stored = dict(scalar_rows(dep, "SELECT msg_key, count(*) FROM inbound_messages "
                                   "WHERE msg_key LIKE 'msg:7%' GROUP BY msg_key"))
    assert stored == {f"msg:{m}": 1 for _, _, m in messages}
    tickets = dict(scalar_rows(dep, "SELECT resident_open_id, count(*) FROM tickets GROUP BY resident_open_id"))
    assert all(n == 1 for n in tickets.values()), tickets
    assert tickets, "no message was handed off: the storm did not exercise ticket creation"
    print(f"retry storm: {len(messages)} messages x 3 deliveries, {len(tickets)} tickets, "
          f"slowest delivery {max(s for got in replies.values() for _, _, s in got):.2f} s")
