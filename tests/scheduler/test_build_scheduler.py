"""build_scheduler's jobs, called directly (no threads): only the lease holder's jobs act."""
from __future__ import annotations

from datetime import timedelta

from bot.lease import Lease
from scheduler import build_scheduler
from tests.scheduler.helpers import duty_pair, esc_outbox, events, open_ticket


def jobs(sched):
    return {job.id: job for job in sched.get_jobs()}


def test_jobs_act_only_under_the_lease(desk):
    cfg = desk.settings.scheduler
    a = build_scheduler(desk.services, Lease(desk.services.session_factory, cfg.lease_seconds, holder="h:1:a"))
    b = build_scheduler(desk.services, Lease(desk.services.session_factory, cfg.lease_seconds, holder="h:2:b"))
    assert set(jobs(a)) == {"lease", "outbox", "sweeps"}
    assert jobs(a)["sweeps"].trigger.interval == timedelta(seconds=cfg.sweep_seconds)
    assert jobs(a)["outbox"].trigger.interval == timedelta(seconds=cfg.tick_seconds)
    open_ticket(desk, assignee=duty_pair(desk)[0], at=desk.clock.now() - timedelta(minutes=15))
    jobs(b)["lease"].func()  # b comes first and holds the lease
    jobs(a)["lease"].func()
    assert b.lease.held and not a.lease.held
    jobs(a)["sweeps"].func()
    assert events(desk) == []  # the standby does nothing
    jobs(b)["sweeps"].func()
    jobs(b)["sweeps"].func()
    assert [e.data["by"] for e in events(desk)] == ["h:2:b"]
    jobs(b)["outbox"].func()
    assert [o.status for o in esc_outbox(desk)] == ["sent"]
    b.lease.release()  # what shutdown() does: the standby may take over at once
    jobs(a)["lease"].func()
    assert a.lease.held and a.lease.fencing == 2
