"""PostgreSQL restarted under load: every request still answered within 5 s, nothing acknowledged is lost.

While the database is away the webhook spools each message durably (bot/spool.py) and answers
politely; the replayer feeds them through the pipeline when the database is back. The database
server is SHARED by everyone on this machine: the outage is kept to a few seconds and the server is
started again in `finally`, whatever happens.
"""
from __future__ import annotations

import subprocess
import threading
import time
from pathlib import Path

import pytest

from bench.client import LoadClient
from tests.faults.conftest import scaled
from tests.faults.helpers import scalar_rows, simulator, wait_for
from tests.faults.test_kill_worker import fault_mix

OUTAGE_S = 2.0


def pg_ctl(action: str) -> None:
    """pg_ctlcluster <version> main <action> (fast shutdown; start waits until it accepts connections)."""
    version = sorted(p.name for p in Path("/etc/postgresql").iterdir())[-1]
    extra = ["-m", "fast"] if action == "stop" else []
    subprocess.run(["pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action, *extra],
                   check=True, timeout=60, capture_output=True)


@pytest.mark.slow
def test_postgres_restart_under_load_is_answered_spooled_and_replayed(deploy):
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("needs a local Debian PostgreSQL cluster (pg_ctlcluster) to restart")
    dep = deploy(workers=2, threads=2, schedulers=1)
    client = LoadClient(dep.apps[0].port, simulator(dep), fault_mix(), concurrency=4,
                        seconds=2 + OUTAGE_S + 12 + scaled(2))
    runner = threading.Thread(target=client.run)
    runner.start()
    try:
        time.sleep(2)
        pg_ctl("stop")
        time.sleep(OUTAGE_S)
    finally:
        pg_ctl("start")  # shared server: always bring it back
    back_at = time.monotonic()
    runner.join(120)
    result = client.result
    logs = "\n".join(p.log_tail(40) for p in dep.apps)
    assert result.error_count == 0, (result.summary(), logs)
    assert result.percentile(1.0) < 5000, (result.summary(), logs)
    spooled = {key for key, _, got, _ in result.sent if got == "spooled"}
    assert spooled, f"no request fell into the outage: {result.summary()['kinds']}"
    late = [(t - back_at, got) for _, _, got, t in result.sent if t > back_at + 10 and got == "spooled"]
    assert not late, f"still spooling 10 s after the database came back: {late[:5]}"
    acknowledged = {key for key, _, _, _ in result.sent}
    wait_for(lambda: acknowledged <= stored_keys(dep), 20, "spooled messages to be replayed")
    replied = {row[0].removeprefix("spool-reply:") for row in scalar_rows(
        dep, "SELECT dedupe_key FROM outbox WHERE dedupe_key LIKE 'spool-reply:%'")}
    assert spooled - replayed_without_text(dep, spooled) <= replied
    assert not list(dep.workdir.rglob("spool-*")), "spool files left behind after replay"


def stored_keys(dep) -> set[str]:
    return {row[0] for row in scalar_rows(dep, "SELECT msg_key FROM inbound_messages")}


def replayed_without_text(dep, keys: set[str]) -> set[str]:
    """Spooled messages whose pipeline reply was empty ('success'): nothing to send them."""
    rows = scalar_rows(dep, "SELECT msg_key FROM inbound_messages WHERE coalesce(reply_text, '') = ''")
    return {r[0] for r in rows} & keys
