"""Incidents in the console: the place picker, open incidents with reports and audience, the
timeline, updates, unlinking, and the 台账 xlsx."""
from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from tests.incidents.support import dispatch_all, incident, make_incident_desk
from tests.web.helpers import add_user, login, post

BUILDINGS = {"5": ["1", "2"], "6": ["1"]}


@pytest.fixture
def console(db_url, fake_wechat):
    desk = make_incident_desk(db_url, fake_wechat, **{"incidents.buildings": BUILDINGS})
    add_user(desk, "王芳", "staff")
    yield desk, login(desk, "王芳"), fake_wechat
    desk.close()


def test_new_incident_from_the_console_reaches_the_residents_who_reported(console):
    desk, client, fake = console
    desk.send("5号楼2单元停电了", as_="o_web_1")
    desk.send("5号楼怎么没电了", as_="o_web_2")
    form = client.get("/admin/incidents/new").get_data(as_text=True)
    for label in ("全小区", "5号楼", "5号楼1单元", "5号楼2单元", "6号楼1单元"):
        assert f">{label}</option>" in form
    resp = post(client, "/admin/incidents/new", {"kind": "outage", "place": "5", "category": "power", "title": "",
                                                   "text": "5号楼配电箱故障，供电公司正在抢修", "expected_at": "2026-12-01T13:30"},
                token_from="/admin/incidents/new")
    assert resp.status_code == 302 and resp.headers["Location"].endswith("/admin/incidents/1")
    i = incident(desk)
    assert (i.status, i.building, i.category, i.title) == ("open", "5", "power", "5号楼配电箱故障")
    assert i.expected_at.hour == 5 and i.expected_at.minute == 30  # 13:30 in Shanghai
    listing = client.get("/admin/incidents/").get_data(as_text=True)
    assert "#I1" in listing and "5号楼配电箱故障" in listing and "2 人" in listing
    page = client.get("/admin/incidents/1").get_data(as_text=True)
    assert 'id="audience">2<' in page and "5号楼2单元停电了" in page and "#1</a>" in page
    dispatch_all(desk)
    assert "供电公司正在抢修" in fake.texts(to="o_web_1")[0]

    post(client, "/admin/incidents/1/unlink", {"ticket_id": "2"}, token_from="/admin/incidents/1")
    post(client, "/admin/incidents/1/update", {"text": "已更换配电箱，预计13:00恢复"}, token_from="/admin/incidents/1")
    dispatch_all(desk)
    assert len(fake.texts(to="o_web_1")) == 2 and len(fake.texts(to="o_web_2")) == 1
    post(client, "/admin/incidents/1/recover", {"text": "已恢复供电"}, token_from="/admin/incidents/1")
    assert incident(desk).status == "recovered"
    assert "已恢复供电" in client.get("/admin/incidents/1").get_data(as_text=True)

    xlsx = client.get("/admin/incidents/export.xlsx")
    assert xlsx.status_code == 200
    sheet = load_workbook(io.BytesIO(xlsx.data)).active
    header, row = [c.value for c in sheet[1]], [c.value for c in sheet[2]]
    record = dict(zip(header, row))
    assert record["编号"] == "I1" and record["地点"] == "5号楼" and record["状态"] == "已恢复"
    # o_web_2's report was moved out: one linked report and one resident remain
    assert record["关联居民反映（条）"] == 1 and record["通知居民（人）"] == 1 and record["更新次数"] == 3


def test_bad_form_changes_nothing(console):
    desk, client, _ = console
    post(client, "/admin/incidents/new", {"kind": "planned", "place": "", "text": "全小区停水检修",
                                          "starts_at": "2026-12-03T18:00", "ends_at": "2026-12-03T08:00"},
         token_from="/admin/incidents/new")
    post(client, "/admin/incidents/new", {"kind": "outage", "place": "", "text": ""}, token_from="/admin/incidents/new")
    assert incident(desk) is None
    assert client.get("/admin/incidents/9").status_code == 404


def test_console_needs_a_login(console):
    desk, _, _ = console
    assert desk.app.test_client().get("/admin/incidents/").status_code == 302
