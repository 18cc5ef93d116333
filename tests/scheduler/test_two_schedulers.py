"""Two `linli scheduler` processes: only the lease holder acts; kill -9 it and the standby takes over.

Integration test with real processes and the system clock (lease 5 s, tick 1 s, sweeps every 1 s).
"""
from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections import Counter
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import select

from bot.config import load_settings
from bot.db import transaction
from bot.db.models import Outbox, SchedulerLease, TicketEvent
from bot.services import build_services
from tests.scheduler.conftest import ROOT, write_config
from tests.scheduler.helpers import open_ticket

LINLI = str(Path(sys.executable).with_name("linli"))


def wait_for(predicate, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.2)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def start(config: Path, log: Path) -> subprocess.Popen:
    return subprocess.Popen([LINLI, "scheduler", "--config", str(config)], cwd=ROOT,
                            stdout=log.open("w"), stderr=subprocess.STDOUT)


def lease_pid(factory) -> int | None:
    with transaction(factory) as s:
        row = s.get(SchedulerLease, "scheduler")
        alive = row is not None and row.expires_at > datetime.now(timezone.utc)
        return int(row.holder.split(":")[1]) if alive else None


def escalations(factory) -> list[TicketEvent]:
    with transaction(factory) as s:
        return list(s.scalars(select(TicketEvent).where(TicketEvent.kind == "escalation")))


def esc_outbox(factory) -> list[Outbox]:
    with transaction(factory) as s:
        return list(s.scalars(select(Outbox).where(Outbox.dedupe_key.like("esc:%"))))


def due_tickets(factory, assignee: str, n: int) -> list[int]:
    """Tickets whose first reminder (15 min) is due now and whose next step is 14 minutes away."""
    since = datetime.now(timezone.utc) - timedelta(minutes=16)
    return [open_ticket(factory, f"测试问题{i}", assignee=assignee, at=since, resident=f"o_r{i}") for i in range(n)]


def test_one_scheduler_acts_and_the_standby_takes_over_after_kill_9(tmp_path, db_url):
    config = write_config(tmp_path, db_url, lease_seconds=5, tick_seconds=1, sweep_seconds=1)
    services = build_services(load_settings(config))
    factory = services.session_factory
    with transaction(factory) as s:
        assignee = services.duty.on_duty(s, datetime.now(timezone.utc))[0].name
    first_batch = due_tickets(factory, assignee, 5)
    procs = [start(config, tmp_path / "a.log"), start(config, tmp_path / "b.log")]
    try:
        # generous start-up wait: importing the app is slow on a loaded machine
        active = wait_for(lambda: lease_pid(factory), 90, "a lease holder")
        wait_for(lambda: len(escalations(factory)) >= 5, 60, "the first reminders")
        time.sleep(3)  # several more sweep rounds by both processes
        by = Counter(e.data["by"].split(":")[1] for e in escalations(factory))
        assert by == Counter({str(active): 5}), by  # only the holder acted
        wait_for(lambda: all(o.status == "sent" for o in esc_outbox(factory)), 45, "the first reminders sent")
        victim = next(p for p in procs if p.pid == active)
        standby = next(p for p in procs if p.pid != active)
        victim.send_signal(signal.SIGKILL)
        killed_at = time.monotonic()
        victim.wait(5)
        second_batch = due_tickets(factory, assignee, 5)
        new_pid = wait_for(lambda: lease_pid(factory) == standby.pid, 30, "the standby to take the lease")
        takeover = time.monotonic() - killed_at
        wait_for(lambda: len(escalations(factory)) >= 10, 45, "the standby's reminders")
        time.sleep(3)
        events = escalations(factory)
        assert new_pid and takeover < 30, takeover
        print(f"takeover after kill -9: {takeover:.1f}s")
        assert sorted(e.ticket_id for e in events) == sorted(first_batch + second_batch)
        assert {e.data["by"].split(":")[1] for e in events if e.ticket_id in second_batch} == {str(standby.pid)}
        keys = Counter(e.dedupe_key for e in events)
        assert max(keys.values()) == 1
        rows = esc_outbox(factory)
        assert sorted(o.dedupe_key.split("@")[0] for o in rows) == sorted(keys)  # one message per step
        rows = wait_for(lambda: (lambda r: r if all(o.status == "sent" for o in r) else None)(esc_outbox(factory)),
                        15, "every reminder sent")
        assert all(o.attempts == 1 for o in rows)  # the dispatcher sent each message once
        senders = Counter((o.ticket_id in second_batch, o.claimed_by.split(":")[1]) for o in rows)
        assert set(senders) == {(False, str(active)), (True, str(standby.pid))}, senders
    finally:
        for p in procs:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
        for p in procs:
            try:
                p.wait(15)
            except subprocess.TimeoutExpired:
                p.kill()
        released = lease_pid(factory) is None
        services.engine.dispose()
    # the killed one died of SIGKILL; the survivor shut down cleanly on SIGTERM and gave the lease up
    assert sorted(p.returncode for p in procs) == sorted([0, -signal.SIGKILL]), [p.returncode for p in procs]
    assert released
