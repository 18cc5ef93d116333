"""The WeChat API slow, then failing: webhook latency is unaffected; the outbox backs off, then delivers."""
from __future__ import annotations

import time

import pytest

from bench.client import LoadClient
from tests.faults.conftest import scaled
from tests.faults.helpers import scalar_rows, simulator, wait_for
from tests.faults.test_kill_worker import fault_mix
from tests.faults.test_scheduler_failover import assert_sent_once, fake, wechat_deploy  # noqa: F401


def load(dep, seconds: float):
    return LoadClient(dep.apps[0].port, simulator(dep), fault_mix(), concurrency=4, seconds=seconds).run()


def assert_unaffected(healthy, degraded, what: str) -> None:
    base, p99 = healthy.percentile(0.99), degraded.percentile(0.99)
    assert degraded.error_count == 0, (what, degraded.summary())
    assert p99 < 2 * base + 250, (what, base, p99)  # an inline API call would add a whole second
    assert degraded.slower_than(5.0) == 0, (what, degraded.summary())  # WeChat's limit


@pytest.mark.slow
def test_slow_then_failing_wechat_api_leaves_the_webhook_alone_and_the_outbox_catches_up(deploy, fake):
    dep = wechat_deploy(deploy, fake, schedulers=1, **{"outbox.max_attempts": 12, "outbox.backoff_max_s": 4})
    healthy = load(dep, scaled(4))
    assert healthy.error_count == 0, healthy.summary()
    fake.delay_s = 1.0  # every API call takes a second
    slow = load(dep, scaled(4))
    assert_unaffected(healthy, slow, "slow API")
    fake.delay_s = 0
    fake.fail("message/custom/send", -1, times=None)  # -1: "system busy", a transient error
    failing_since = time.monotonic()
    failing = load(dep, scaled(5))
    assert_unaffected(healthy, failing, "failing API")
    wait_for(lambda: retried(dep) >= 3, 40, "a row retried while the API fails")  # the API is still down
    failing_s = time.monotonic() - failing_since
    most = retried(dep)
    fake.clear_failures()
    wait_for(lambda: not scalar_rows(dep, "SELECT id FROM outbox WHERE status <> 'sent'"), 40,
             "the outbox to deliver everything after the API recovered")
    # Without back-off the dispatcher (every second) would have tried a row ~failing_s times.
    assert most <= 2 + failing_s / 2, f"no back-off: a row was tried {most} times in {failing_s:.0f} s"
    assert_sent_once(dep, fake, in_flight=set())
    print(f"WeChat API: webhook p99 healthy {healthy.percentile(0.99):.0f} ms, slow {slow.percentile(0.99):.0f} ms, "
          f"failing {failing.percentile(0.99):.0f} ms; most attempts of one row {most} in {failing_s:.0f} s")


def retried(dep) -> int:
    """The most attempts of any row the API refused so far."""
    rows = scalar_rows(dep, "SELECT max(attempts) FROM outbox WHERE status <> 'sent'")
    return rows[0][0] or 0
