"""kill -9 of a gunicorn worker in the middle of load: every message that got a 200 is stored."""
from __future__ import annotations

import os
import signal
import threading
import time

import pytest

from bench.client import LoadClient
from bench.workload import HANDOFF_CANDIDATES, Mix, faq_candidates
from tests.faults.conftest import scaled
from tests.faults.helpers import scalar_rows, simulator


def fault_mix() -> Mix:
    return Mix({"answer": 60, "handoff": 30, "retry": 10},
               {"answer": faq_candidates()[:40], "handoff": HANDOFF_CANDIDATES})


@pytest.mark.slow
def test_kill_9_of_a_worker_loses_no_acknowledged_message(deploy):
    dep = deploy(workers=3, threads=2, schedulers=0)
    app = dep.apps[0]
    client = LoadClient(app.port, simulator(dep), fault_mix(), concurrency=6, seconds=scaled(6))
    runner = threading.Thread(target=client.run)
    runner.start()
    time.sleep(1.5)
    victims = app.children()[:1]
    for pid in victims:
        os.kill(pid, signal.SIGKILL)
    killed_at = time.monotonic()
    runner.join(60)
    result = client.result
    acknowledged = {key for key, _, _, _ in result.sent}
    stored = {row[0] for row in scalar_rows(dep, "SELECT msg_key FROM inbound_messages")}
    assert acknowledged and acknowledged <= stored, sorted(acknowledged - stored)[:10]
    assert any(t > killed_at + 1 for *_, t in result.sent), "no request succeeded after the kill"
    assert victims[0] not in app.children()  # gunicorn replaced the worker
    assert set(result.errors) <= {"connection"}, result.summary()  # only the killed worker's in-flight calls
    print(f"kill -9: {len(acknowledged)} acknowledged, all stored; {result.error_count} connection errors "
          f"(requests in flight on the killed worker)")
