"""Staff notices do not depend on the 48-hour window: a chain of channels with failover, walked
minute by minute while each channel fails in turn; nothing is dropped, everything is sent once."""
from __future__ import annotations

from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import StaffAlert
from bot.outbox.undelivered import acknowledge, delivery_state, open_alerts
from scheduler import run_once
from tests.support.fakes.fake_wechat import FakeWeChat
from tests.support.fakes.fake_wecom import FakeWeCom
from tests.scheduler.chain_support import chain_desk, staff_rows, via
from tests.scheduler.helpers import open_id_of, open_ticket, staff


@pytest.fixture
def fakes():
    oa, wecom = FakeWeChat().start(), FakeWeCom().start()
    yield oa, wecom
    oa.stop()
    wecom.stop()


@pytest.fixture
def chain(db_url, fakes):
    oa, wecom = fakes
    desk = chain_desk(db_url, oa, wecom)
    with desk.session() as s:
        staff(s, "王芳").role = "lead"  # a second lead, off duty today (张伟 is the on-duty lead)
    yield desk, oa, wecom
    desk.close()


def esc(desk):
    return [r for r in staff_rows(desk) if (r.dedupe_key or "").startswith("esc:")]


def walk(desk, start, minutes):
    for m in minutes:
        run_once(desk.services, start + timedelta(minutes=m))


def test_each_channel_failing_in_turn_moves_the_notice_to_the_next(chain):
    desk, oa, wecom = chain
    start = desk.clock.now()  # 09:00, 张伟 (lead) and 杨磊 on duty
    tid = open_ticket(desk, assignee="杨磊", at=start)
    wecom.fail("message/send", 60020, times=None)  # the WeCom application is down
    walk(desk, start, range(0, 16))
    [remind] = esc(desk)
    assert remind.status == "sent" and via(remind) == "wecom_robot"
    assert wecom.calls("webhook/send")[-1].body["text"]["mentioned_mobile_list"] == ["13800000006"]
    wecom.fail("webhook/send", 93000, times=None)  # and the duty group's robot
    walk(desk, start, range(16, 31))
    reassign = esc(desk)[-1]
    assert "【工单转派】" in reassign.text and via(reassign) == "template"
    assert oa.calls("message/template/send")[-1].body["touser"] == open_id_of(desk, "张伟")
    oa.fail("message/template/send", 43004, times=None)  # and the OA template
    walk(desk, start, range(31, 61))
    lead = esc(desk)[-1]
    assert "【升级通知】" in lead.text and lead.recipient == open_id_of(desk, "王芳")  # never 张伟, the one chased
    assert via(lead) == "customer_service" and oa.texts(to=open_id_of(desk, "王芳"))
    oa.fail("message/custom/send", 45015, times=None)  # 王芳's 48-hour window has closed as well
    walk(desk, start, range(61, 121))
    again = [r for r in staff_rows(desk) if r.dedupe_key and r.dedupe_key.startswith(f"esc:{tid}:") and "第2次" in r.text]
    assert [r.status for r in again] == ["failed"]
    assert "wecom_app: no wecom_user" not in again[0].last_error and "45015" in again[0].last_error
    with desk.session() as s:
        [alert] = open_alerts(s)
        assert alert.staff_name == "王芳" and alert.ticket_id == tid and "第2次提醒" in alert.text
    forwarded = [r for r in staff_rows(desk) if (r.dedupe_key or "").startswith("undelivered:")]
    assert sorted(r.recipient for r in forwarded) == sorted(open_id_of(desk, n) for n in ("张伟", "杨磊"))
    assert all("【通知未送达】王芳" in r.text and "13800000002" in r.text for r in forwarded)
    for channel in ("message/send", "webhook/send", "message/template/send", "message/custom/send"):
        oa.clear_failures(), wecom.clear_failures()
    walk(desk, start, range(121, 126))
    rows = staff_rows(desk)
    assert {r.status for r in rows} == {"sent"}  # the failed notice and the forwarded ones arrived
    assert Counter(r.dedupe_key for r in rows).most_common(1)[0][1] == 1
    assert "已送达（企业微信应用消息）" in delivery_state(rows[-1]) or "已送达" in delivery_state(rows[-1])
    with desk.session() as s:  # the red banner stays until someone acknowledges it
        assert len(open_alerts(s)) >= 1
        for a in open_alerts(s):
            assert acknowledge(s, a.id, "admin", start + timedelta(hours=3))
        assert open_alerts(s) == [] and s.scalar(select(StaffAlert).limit(1)).acknowledged_by == "admin"


def test_a_person_with_no_channel_is_not_skipped_their_partner_and_the_lead_are_told(chain):
    desk, oa, wecom = chain
    with desk.session() as s:
        p = staff(s, "杨磊")
        p.wecom_userid, p.open_id = None, None
    desk.settings.staff_channels.order = ["wecom_app", "customer_service"]  # no group robot, no template
    start = desk.clock.now()
    open_ticket(desk, assignee="杨磊", at=start)
    walk(desk, start, range(0, 17))  # the reminder at 09:15 fails; the forwarded notices go at 09:16
    [remind] = esc(desk)
    forwarded = [r for r in staff_rows(desk) if (r.dedupe_key or "").startswith(f"undelivered:{remind.id}@")]
    assert remind.recipient.startswith("staff:") and remind.status == "failed"
    assert "wecom_app: no wecom_user for 杨磊" in remind.last_error
    assert [r.recipient for r in forwarded] == [open_id_of(desk, "张伟"), open_id_of(desk, "王芳")]
    assert all(r.status == "sent" and via(r) == "wecom_app" for r in forwarded)
    relayed = [t for t in wecom.app_texts() if "【待回复提醒】" in t]
    assert len(relayed) == 2 and all(t.startswith("【通知未送达】杨磊（电话13800000006）") for t in relayed)
    assert remind.attempts == desk.settings.outbox.max_attempts  # no channel can ever carry it: not retried in vain
    walk(desk, start, range(17, 20))  # and never forwarded twice
    assert len([r for r in staff_rows(desk) if (r.dedupe_key or "").startswith(f"undelivered:{remind.id}@")]) == 2


def test_the_handover_warns_when_someone_on_duty_has_no_working_channel(chain):
    desk, oa, wecom = chain
    with desk.session() as s:
        p = staff(s, "刘洋")  # on duty tomorrow (12-02) with 吴刚
        p.wecom_userid, p.open_id = None, None
    desk.settings.staff_channels.order = ["wecom_app", "customer_service"]
    tomorrow = desk.clock.now() + timedelta(days=1)  # 09:00 on 12-02, after the 08:30 shift change
    run_once(desk.services, tomorrow)
    warnings = [r for r in staff_rows(desk) if (r.dedupe_key or "").startswith("reach:")]
    assert sorted(r.payload["staff"] for r in warnings) == ["吴刚", "张伟", "王芳"]
    assert all("刘洋没有任何可用的通知渠道" in r.text for r in warnings)


def test_a_wecom_user_outside_the_apps_visible_range_is_a_failure_not_a_delivery(chain):
    desk, oa, wecom = chain
    wecom.invalid_user("yanglei")  # WeCom answers errcode 0 but lists the UserID as invaliduser
    start = desk.clock.now()
    open_ticket(desk, assignee="杨磊", at=start)
    walk(desk, start, range(0, 16))
    [remind] = esc(desk)
    assert remind.status == "sent" and via(remind) == "wecom_robot"
    assert [c.body["touser"] for c in wecom.calls("message/send") if "【待回复提醒】" in c.body["text"]["content"]] == ["yanglei"]
    assert wecom.calls("gettoken")[0].query == {"corpid": "wwlinli", "corpsecret": "wecom-secret"}
    assert len(wecom.calls("gettoken")) == 1  # one token for every message, kept in the shared store
