"""The active scheduler killed under webhook load: the standby takes over within 30 s, nothing sent twice.

Reuses the two-scheduler helpers of tests/scheduler (lease holder, due tickets, escalation queries);
this test adds the load (gunicorn workers opening tickets all along) and the fake WeChat API as the
receiving end, so "sent twice" is counted where it would hurt: at WeChat.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections import Counter

import pytest

from bench.client import LoadClient
from bot.db import make_session_factory
from tests.support.fakes.fake_wechat import FakeWeChat
from tests.faults.conftest import scaled
from tests.faults.helpers import scalar_rows, simulator, wait_for
from tests.faults.test_kill_worker import fault_mix
from tests.scheduler.test_two_schedulers import due_tickets, esc_outbox, escalations, lease_pid


@pytest.fixture
def fake():
    f = FakeWeChat().start()
    yield f
    f.stop()


def wechat_deploy(deploy, fake, schedulers=2, **extra):
    return deploy(workers=2, threads=2, schedulers=schedulers, **{
        "outbox.transport": "wechat", "wechat.api_base_url": fake.base_url, "outbox.claim_seconds": 5,
        "outbox.backoff_base_s": 0.5, "scheduler.lease_seconds": 5, "scheduler.tick_seconds": 1,
        "scheduler.sweep_seconds": 1, **extra})


def deliveries(fake) -> Counter:
    """(touser, content) of every customer-service text the fake accepted."""
    return Counter((r.body.get("touser"), r.body["text"]["content"])
                   for r in fake.calls("message/custom/send") if r.ok)


@pytest.mark.slow
def test_kill_9_of_the_active_scheduler_under_load(deploy, fake):
    dep = wechat_deploy(deploy, fake)
    assert len(dep.schedulers) == 2, "`linli scheduler` is missing"
    factory = make_session_factory(dep.db.engine())
    load = LoadClient(dep.apps[0].port, simulator(dep), fault_mix(), concurrency=3, seconds=scaled(20))
    runner = threading.Thread(target=load.run)
    runner.start()
    first = due_tickets(factory, "王芳", scaled(5))
    active = wait_for(lambda: lease_pid(factory), 20, "a lease holder")
    wait_for(lambda: len(escalations(factory)) >= len(first), 20, "the first reminders")
    os.kill(active, signal.SIGKILL)
    killed_at = time.monotonic()
    in_flight = {r[0] for r in scalar_rows(  # claimed_by is host:pid[:thread]
        dep, "SELECT id FROM outbox WHERE status = 'sending' AND (claimed_by LIKE :a OR claimed_by LIKE :b)",
        a=f"%:{active}", b=f"%:{active}:%")}
    second = due_tickets(factory, "王芳", scaled(5))
    standby = wait_for(lambda: (lease_pid(factory) or active) != active and lease_pid(factory), 30,
                       "the standby to take the lease")
    takeover = time.monotonic() - killed_at
    runner.join(120)
    try:
        wait_for(lambda: not scalar_rows(dep, "SELECT id FROM outbox WHERE status <> 'sent'"), 40,
                 "every outbox row to be sent")
    except AssertionError:
        raise AssertionError(scalar_rows(dep, "SELECT status, channel, recipient, last_error, count(*) FROM outbox "
                                              "WHERE status <> 'sent' GROUP BY 1, 2, 3, 4"))
    events = escalations(factory)
    assert takeover < 30 and standby != active, takeover
    assert {e.ticket_id for e in events} >= set(first + second)
    assert max(Counter(e.dedupe_key for e in events).values()) == 1
    # one message per escalation step and recipient (a step covered by the opening alert has none)
    assert len(esc_outbox(factory)) == sum(len(e.data.get("to") or []) for e in events
                                           if "covered_by" not in e.data)
    assert_sent_once(dep, fake, in_flight)
    assert load.result.error_count == 0, load.result.summary()
    print(f"scheduler failover: takeover {takeover:.1f} s after kill -9, {len(events)} escalations, "
          f"{len(in_flight)} row(s) in flight at the kill, {sum(deliveries(fake).values())} deliveries")


def assert_sent_once(dep, fake, in_flight: set[int]) -> None:
    """Every outbox row reached WeChat; none twice, except a row the killed process had in flight."""
    # staff notices go on the 'staff' channel; with only customer-service messages configured in
    # these deployments, they reach WeChat through message/custom/send as well
    rows = scalar_rows(dep, "SELECT id, recipient, text, attempts, claimed_by FROM outbox "
                            "WHERE channel IN ('customer_service', 'staff') AND status = 'sent'")
    expected = Counter((r[1], r[2]) for r in rows)
    allowed = expected + Counter((r[1], r[2]) for r in rows if r[0] in in_flight)
    got = deliveries(fake)
    missing = expected - got
    extra = {k: (n, allowed[k]) for k, n in got.items() if n > allowed[k]}
    detail = [r for r in rows if (r[1], r[2]) in extra]
    assert not missing and not extra, (list(missing)[:3], list(extra.items())[:3], detail[:3], in_flight)
