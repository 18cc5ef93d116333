"""PostgreSQL away under load: every request still answered within 5 s, nothing acknowledged is lost.

While the database is away the webhook spools each message durably (bot/spool.py) and answers
politely; the replayer feeds them through the pipeline when the database is back.
Two outages: `server` really restarts PostgreSQL (pg_ctlcluster stop -m fast / start). That server is
SHARED by everyone on this machine, so it is opt-in (LINLI_FAULT_PG_RESTART=1; `make test-faults`),
the outage is kept to ~2 s and the server is started again in `finally`, whatever happens.
`database` makes only this test's database unreachable (ALLOW_CONNECTIONS false and its sessions
terminated: the same errors the app sees during a restart) and runs in the default suite.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.pool import NullPool

from bench.client import LoadClient
from bench.servers import PG_ADMIN_URL
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


@contextmanager
def server_restart(dep):
    """Stop the whole PostgreSQL server for OUTAGE_S, then start it (always)."""
    try:
        pg_ctl("stop")
        time.sleep(OUTAGE_S)
        yield
    finally:
        pg_ctl("start")


@contextmanager
def database_outage(dep):
    """Refuse and drop every connection to this test's database for OUTAGE_S."""
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    name = dep.db.name
    try:
        with admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS false'))
            c.execute(text("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :d"), {"d": name})
        time.sleep(OUTAGE_S)
        yield
    finally:
        with admin.connect() as c:
            c.execute(text(f'ALTER DATABASE "{name}" ALLOW_CONNECTIONS true'))
        admin.dispose()


def outage_for(kind: str):
    if kind == "database":
        return database_outage
    if os.environ.get("LINLI_FAULT_PG_RESTART") != "1":
        pytest.skip("restarts the PostgreSQL server everyone's tests share: opt in with "
                    "LINLI_FAULT_PG_RESTART=1 (make test-faults does)")
    if not Path("/etc/postgresql").is_dir():
        pytest.skip("needs a local Debian PostgreSQL cluster (pg_ctlcluster) to restart")
    return server_restart


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["database", "server"])
def test_postgres_away_under_load_is_answered_spooled_and_replayed(deploy, kind):
    outage = outage_for(kind)
    dep = deploy(workers=2, threads=2, schedulers=1)
    client = LoadClient(dep.apps[0].port, simulator(dep), fault_mix(), concurrency=4,
                        seconds=2 + OUTAGE_S + 12 + scaled(2))
    runner = threading.Thread(target=client.run)
    runner.start()
    time.sleep(2)
    with outage(dep):
        pass
    back_at = time.monotonic()
    runner.join(120)
    result = client.result
    logs = "\n".join(p.log_tail(40) for p in dep.apps)
    assert result.error_count == 0, (result.summary(), logs)
    slow = [(round(t - back_at, 1), round(s, 1), what) for t, s, what in result.slow]
    assert result.percentile(1.0) < 5000, (slow, result.summary(), logs)
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
    last_spooled = max(t for _, _, got, t in result.sent if got == "spooled") - back_at
    print(f"{kind} outage: {result.count} requests, {len(spooled)} spooled and replayed, max latency "
          f"{result.percentile(1.0):.0f} ms, last spooled reply {last_spooled:+.1f} s after the database returned")


def stored_keys(dep) -> set[str]:
    return {row[0] for row in scalar_rows(dep, "SELECT msg_key FROM inbound_messages")}


def replayed_without_text(dep, keys: set[str]) -> set[str]:
    """Spooled messages whose pipeline reply was empty ('success'): nothing to send them."""
    rows = scalar_rows(dep, "SELECT msg_key FROM inbound_messages WHERE coalesce(reply_text, '') = ''")
    return {r[0] for r in rows} & keys
