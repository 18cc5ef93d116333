"""The outbox dispatcher against the fake WeChat API: retries, the 48-hour window, crashes, concurrency."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path


from bot.db.models import Outbox
from bot.outbox.dispatcher import dispatch_due
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.services import build_services
from tests.tickets.conftest import (
    HANDOFF_Q, RESIDENT, WANGFANG, dispatch, event_kinds, make_desk, ticket,
)

ROOT = Path(__file__).resolve().parents[2]
UNREACHABLE = "居民已超过48小时未互动，无法推送，请电话联系"


def _answered(desk, fake):
    """A handed-off ticket #1 answered by 王芳, with the staff notification already delivered."""
    desk.send(HANDOFF_Q)
    dispatch(desk)
    desk.send("#1 师傅下午三点上门", as_=WANGFANG)
    return [r for r in desk.outbox(RESIDENT) if r.status == "pending"][0]


def _row(desk, row_id) -> Outbox:
    with desk.session() as s:
        return s.get(Outbox, row_id)


def test_transient_errors_are_retried_with_exponential_backoff(wx):
    desk, fake = wx
    row = _answered(desk, fake)
    fake.fail("message/custom/send", -1, times=2)  # -1: WeChat "system busy"
    assert dispatch(desk) == 0
    r = _row(desk, row.id)
    assert r.status == "failed" and r.attempts == 1 and "-1" in r.last_error
    assert r.next_attempt_at == desk.clock.now() + timedelta(seconds=2)
    assert dispatch(desk) == 0 and len(fake.calls("message/custom/send")) == 2  # not due yet: not retried
    desk.clock.advance(seconds=2)
    assert dispatch(desk) == 0
    assert _row(desk, row.id).next_attempt_at == desk.clock.now() + timedelta(seconds=4)
    desk.clock.advance(seconds=4)
    assert dispatch(desk) == 1
    r = _row(desk, row.id)
    assert r.status == "sent" and r.attempts == 3 and r.last_error is None
    assert len(fake.texts(to=RESIDENT)) == 1


def test_giving_up_tells_the_staff_to_phone(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat, **{"outbox.max_attempts": 2})
    row = _answered(desk, fake_wechat)
    fake_wechat.fail("message/custom/send", -1, times=2)
    dispatch(desk)
    desk.clock.advance(seconds=2)
    dispatch(desk)
    assert _row(desk, row.id).status == "failed" and _row(desk, row.id).attempts == 2
    desk.clock.advance(hours=1)
    dispatch(desk)
    assert len(fake_wechat.calls("message/custom/send")) == 4  # 1 notice, 2 tries, 1 notice: no third try
    assert "多次发送失败，请电话联系居民" in fake_wechat.texts(to=WANGFANG)[-1]
    desk.close()


def test_45015_marks_the_ticket_unreachable_and_tells_the_assignee(wx):
    desk, fake = wx
    row = _answered(desk, fake)
    fake.fail("message/custom/send", 45015)
    assert dispatch(desk) == 0
    assert _row(desk, row.id).status == "deferred"  # kept for the resident's next message
    t = ticket(desk)
    assert t.unreachable and event_kinds(desk)[-1] == "unreachable"
    assert dispatch(desk) == 1
    assert fake.texts(to=WANGFANG)[-1].startswith("【工单#1】给居民的消息未送达")
    assert "居民再来消息时会自动补发" in fake.texts(to=WANGFANG)[-1]
    assert UNREACHABLE in desk.send("#1", as_=WANGFANG)
    assert "未送达" in desk.send("#1 补充一句", as_=WANGFANG)  # further answers: the truth at once
    reply = desk.send("师傅来了吗")  # the resident wrote again: both answers first, then the reply
    assert reply.startswith("【工单#1 答复】王芳：") and "补充一句" in reply
    assert not ticket(desk).unreachable


def test_45047_falls_back_to_a_template_message_when_configured(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat, **{"outbox.template_id": "TPL_ANSWER"})
    row = _answered(desk, fake_wechat)
    fake_wechat.fail("message/custom/send", 45047)
    dispatch(desk)
    assert _row(desk, row.id).status == "fallback"
    assert dispatch(desk) == 1
    [call] = [c for c in fake_wechat.calls("message/template/send") if c.body["touser"] == RESIDENT]
    assert call.body["template_id"] == "TPL_ANSWER"
    assert "师傅下午三点上门" in call.body["data"]["keyword2"]["value"]
    assert not ticket(desk).unreachable
    desk.close()


def test_an_expired_token_is_refreshed_once_and_the_call_retried(wx):
    desk, fake = wx
    _answered(desk, fake)
    fake.issued.clear()  # WeChat forgot our token: the next call answers 40001
    assert dispatch(desk) == 1
    assert len(fake.calls("token")) == 2 and fake.texts(to=RESIDENT)


def test_a_second_process_uses_the_shared_token_and_respects_the_refresh_lock(wx):
    desk, fake = wx
    other = build_services(desk.settings, clock=desk.clock, migrate=False)
    desk.send(HANDOFF_Q)
    dispatch(desk)
    desk.send("#1 好的", as_=WANGFANG)
    assert dispatch_due(other, now=desk.clock.now(), worker_id="other") == 1
    assert len(fake.calls("token")) == 1  # the second process read the token from the database
    from bot.wechat.api import DbTokenStorage

    a = DbTokenStorage(desk.services.session_factory, desk.settings.wechat.appid, desk.clock)
    b = DbTokenStorage(other.session_factory, desk.settings.wechat.appid, desk.clock)
    assert a.try_lock() and not b.try_lock()
    a.unlock()
    assert b.try_lock()
    other.engine.dispose()


def test_two_dispatchers_never_send_the_same_row(wx):
    desk, fake = wx
    fake.delay_s = 0.005
    with desk.session() as s:
        for i in range(40):
            enqueue(s, OutboundMessage(recipient=f"o_r{i}", text=f"消息{i}"), desk.clock.now())
    others = [build_services(desk.settings, clock=desk.clock, migrate=False) for _ in range(2)]
    counts: list[int] = []

    def run(services, name):
        while (n := dispatch_due(services, now=desk.clock.now(), limit=3, worker_id=name)):
            counts.append(n)

    threads = [threading.Thread(target=run, args=(svc, f"w{i}-{j}"))
               for i, svc in enumerate(others) for j in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    sent = fake.texts()
    assert sorted(sent) == sorted(f"消息{i}" for i in range(40)) and sum(counts) == 40
    assert {r.status for r in desk.outbox()} == {"sent"}
    assert len({r.claimed_by for r in desk.outbox()}) > 1  # both processes took part
    for svc in others:
        svc.engine.dispose()


def test_a_dispatcher_killed_between_send_and_commit_resends_once_after_its_claim_expires(wx, tmp_path):
    """Decision: at least once. The row is not lost; the resident gets it at most one extra time."""
    desk, fake = wx
    row = _answered(desk, fake)
    fake.arrived.clear()
    fake.hold()  # the fake records the send, then keeps the connection hanging
    child = subprocess.Popen(
        [sys.executable, str(Path(__file__).with_name("dispatch_child.py")), desk.settings.database.url,
         fake.base_url, desk.clock.now().isoformat()], cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)})
    try:
        assert fake.arrived.wait(60), "the child dispatcher never sent"
        os.kill(child.pid, signal.SIGKILL)  # dies after the send, before it could commit 'sent'
        child.wait(30)
    finally:
        fake.release()
        child.poll() is None and child.kill()
    r = _row(desk, row.id)
    assert r.status == "sending" and r.claimed_by == "child" and r.attempts == 1
    assert len(fake.texts(to=RESIDENT)) == 1
    assert dispatch(desk) == 0  # the claim still holds: nobody else sends it
    desk.clock.advance(seconds=desk.settings.outbox.claim_seconds + 1)
    assert dispatch(desk) == 1
    assert _row(desk, row.id).status == "sent"
    texts = fake.texts(to=RESIDENT)
    assert len(texts) == 2 and texts[0] == texts[1]  # the named, bounded duplicate
    desk.clock.advance(hours=1)
    assert dispatch(desk) == 0 and len(fake.texts(to=RESIDENT)) == 2


def test_a_stale_claim_with_no_attempts_left_is_not_sent_again(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat, **{"outbox.max_attempts": 1})
    with desk.session() as s:
        row = enqueue(s, OutboundMessage(recipient="o_x", text="你好"), desk.clock.now())
        s.flush()
        row.status, row.attempts, row.claimed_by = "sending", 1, "dead"
        row.claimed_until = desk.clock.now()
        row_id = row.id
    desk.clock.advance(seconds=1)
    assert dispatch(desk) == 0 and fake_wechat.calls("message/custom/send") == []
    assert _row(desk, row_id).status == "failed" and "unknown" in _row(desk, row_id).last_error
    desk.close()


def test_staff_notifications_go_to_the_wecom_robot_when_configured(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat, **{"outbox.wecom_robot_url": fake_wechat.robot_url})
    desk.send(HANDOFF_Q)
    assert dispatch(desk) == 1
    [call] = fake_wechat.calls("webhook/send")
    assert call.body["msgtype"] == "text" and "【新工单#1】" in call.body["text"]["content"]
    assert call.body["text"]["mentioned_mobile_list"] == ["13800000002"]  # 王芳
    assert fake_wechat.calls("message/custom/send") == []
    desk.close()


def test_the_local_transport_marks_rows_sent_without_network(db_url):
    desk = make_desk(db_url, None)
    desk.send(HANDOFF_Q)
    assert dispatch(desk) == 1
    assert {r.status for r in desk.outbox()} == {"sent"}
    local = desk.services.transports.default
    assert "【新工单#1】" in local.delivered[-1].text
    desk.close()


def test_a_staff_member_outside_the_window_gets_a_template_or_nothing_is_flagged(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat, **{"outbox.template_id": "TPL_STAFF"})
    desk.send(HANDOFF_Q)
    fake_wechat.fail("message/custom/send", 45015)
    assert dispatch(desk) == 1  # the staff chain tries the template before the 48-hour channel
    [call] = fake_wechat.calls("message/template/send")
    assert call.body["touser"] == WANGFANG and call.body["data"]["first"]["value"] == "您有一条新的工单通知"
    assert not ticket(desk).unreachable  # the resident is reachable; only the staff member was not
    desk.close()


def _queue(desk, *messages: OutboundMessage) -> None:
    with desk.session() as s:
        for msg in messages:
            enqueue(s, msg, desk.clock.now())


def test_a_backlog_to_one_person_drains_in_one_call_fairly_round_by_round(wx):
    """A storm of notices to one staff member is not held to per_recipient rows per scheduler tick."""
    desk, fake = wx
    _queue(desk, *(OutboundMessage(recipient="o_busy", text=f"通知{i}") for i in range(10)),
           OutboundMessage(recipient="o_other", text="另一位"))
    assert dispatch(desk) == 11
    sent = fake.texts()
    assert [t for t in sent if t.startswith("通知")] == [f"通知{i}" for i in range(10)]
    assert sent.index("另一位") < desk.settings.outbox.per_recipient + 1  # in the first round


def test_urgent_rows_go_first_and_one_flooded_recipient_cannot_starve_the_others(wx):
    desk, fake = wx
    _queue(desk, *(OutboundMessage(recipient="o_flood", text=f"刷屏{i}") for i in range(30)),
           OutboundMessage(recipient="o_other", text="另一位居民的答复"),
           OutboundMessage(recipient="o_urgent", text="紧急工单的答复", extra={"urgent": True}))
    assert dispatch(desk, limit=5) == 5
    sent = fake.texts()
    assert sent[0] == "紧急工单的答复"  # queued last, sent first
    assert "另一位居民的答复" in sent
    assert sum(t.startswith("刷屏") for t in sent) == desk.settings.outbox.per_recipient
    assert [t for t in sent if t.startswith("刷屏")] == ["刷屏0", "刷屏1", "刷屏2"]  # in order for one person
    while dispatch(desk, limit=5):
        pass
    assert len(fake.texts(to="o_flood")) == 30 and len(fake.texts()) == 32
