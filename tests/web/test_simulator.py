"""The simulator page: real signed, encrypted XML to /wechat, replies and pushes for one identity."""
from __future__ import annotations

import re

from bot.db.models import InboundMessage
from tests.web.helpers import open_ticket, post


def _client(desk):
    client = desk.app.test_client()
    page = client.get("/simulator").get_data(as_text=True)
    token = re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)
    return client, page, {"X-CSRFToken": token}


def test_page_lists_demo_residents_and_bound_staff(desk):
    _, page, _ = _client(desk)
    assert "o_demo_resident_1" in page and "工作人员 张伟（负责人）" in page and "o_demo_staff_wangfang" in page


def test_send_goes_through_the_webhook_and_shows_the_passive_reply(desk):
    client, _, headers = _client(desk)
    resp = client.post("/simulator/send", json={"open_id": "o_sim_1", "text": "社区服务大厅几点开门？"}, headers=headers)
    body = resp.get_json()
    assert resp.status_code == 200 and body["ok"] and body["reply"]
    with desk.session() as s:
        row = s.query(InboundMessage).filter_by(open_id="o_sim_1").one()
        assert row.reply_text == body["reply"] and row.msg_key.startswith("msg:")


def test_subscribe_event_gets_the_welcome(desk):
    client, _, headers = _client(desk)
    body = client.post("/simulator/send", json={"open_id": "o_sim_2", "event": "subscribe"}, headers=headers).get_json()
    assert "欢迎关注" in body["reply"]


def test_feed_shows_history_and_new_pushes_for_that_identity_only(console):
    client, _, headers = _client(console)
    number = open_ticket(console, "我家楼道的灯坏了", as_="o_sim_3")
    first = client.get("/simulator/feed?open_id=o_sim_3").get_json()
    kinds = [item["kind"] for item in first["history"]]
    assert "in" in kinds and "reply" in kinds
    from tests.web.helpers import login
    post(login(console, "王芳"), f"/admin/tickets/{number}/answer", {"text": "电工马上到。"})
    pushes = client.get(f"/simulator/feed?open_id=o_sim_3&after={first['last']}").get_json()["pushes"]
    assert [p["text"] for p in pushes if "电工马上到" in p["text"]] and all(p["id"] > first["last"] for p in pushes)
    other = client.get("/simulator/feed?open_id=o_sim_other&after=0").get_json()["pushes"]
    assert other == []


def test_send_needs_the_csrf_token_and_sane_input(desk):
    client, _, headers = _client(desk)
    assert client.post("/simulator/send", json={"open_id": "o1", "text": "hi"}).status_code == 400
    assert client.post("/simulator/send", json={"open_id": "o1", "text": ""}, headers=headers).status_code == 400
    assert client.post("/simulator/send", json={"open_id": "x" * 65, "text": "hi"}, headers=headers).status_code == 400
    assert client.get("/simulator/feed").status_code == 400
