"""The scheduler process: lease, outbox dispatch, escalation, handover and daily-report sweeps.

    python scheduler.py [--config FILE]      (or `linli scheduler`)

Several may run; the lease row lets exactly one act. Every sweep is idempotent, so `run_once`
(`linli tick --at`) can be run by hand at any time without sending anything twice.
"""
from __future__ import annotations

import argparse
import logging
import signal
import threading
from datetime import datetime, timezone
from typing import Any, Callable

from apscheduler.schedulers.background import BackgroundScheduler

from bot import texts as M
from bot.config import load_settings
from bot.db import transaction
from bot.lease import Lease, LeaseLost
from bot.outbox.dispatcher import dispatch_due
from bot.privacy.retention import privacy_due
from bot.roster.moves import duty_change_due
from bot.services import build_services
from bot.spool import start_replayer
from bot.sweeps.backlog import overdue_digest_due
from bot.sweeps.escalation import escalate_due
from bot.sweeps.handover import handover_due
from bot.sweeps.morning import morning_digest_due
from bot.sweeps.reports import report_due

log = logging.getLogger("linli.scheduler")


def _dispatch(services, now: datetime) -> Any:
    """One outbox dispatch round."""
    result = dispatch_due(services, now=now)
    return len(result) if isinstance(result, (list, tuple, set)) else result


def _sweep(services, fn: Callable, now: datetime, by: str, lease: Lease | None) -> Any:
    """Run one sweep in its own transaction (fenced by the lease when there is one)."""
    with transaction(services.session_factory) as session:
        if lease is not None:
            lease.fence(session)
        return fn(session, services, now, by=by)


def _moves(moved) -> list[str]:
    """Tickets a handover or duty change moved, as '#12 王芳 → 李娜'."""
    return [M.TICK_MOVED.format(id=t, before=a or M.UNASSIGNED, after=b) for t, a, b in moved]


def _describe(name: str, result: Any) -> Any:
    if name == "escalations":
        return [M.TICK_STEP.format(id=e.ticket_id, step=e.step + 1, n=e.n + 1, action=e.action)
                + (M.TICK_COVERED if e.covered else M.NAME_SEPARATOR.join(e.recipients) or M.TICK_NOBODY)
                for e in result]
    if name == "handover":
        return None if result is None else {
            "day": result.day.isoformat(), "incoming": result.incoming, "open": result.open_tickets,
            "moved": _moves(result.moved)}
    if name == "report":
        return [f.as_dict() for f in result] or None
    if name == "duty_change":
        return None if result is None else {
            "day": result.day.isoformat(), "left": result.left, "joined": result.joined,
            "moved": _moves(result.moved)}
    if name == "morning_digest":
        return result or None
    return result


def run_once(services, at: datetime | None = None, by: str = "tick", lease: Lease | None = None,
             outbox: bool = True) -> dict:
    """One round of every sweep at `at` (default: the services' clock); returns what each did."""
    now = (at or services.clock.now()).astimezone(timezone.utc)
    summary: dict[str, Any] = {"at": now.isoformat()}
    sweeps = (("handover", handover_due), ("duty_change", duty_change_due), ("escalations", escalate_due),
              ("morning_digest", morning_digest_due), ("report", report_due), ("overdue", overdue_digest_due),
              ("privacy", privacy_due))  # the daily retention purge (docs/PRIVACY.md)
    for name, fn in sweeps:
        try:
            summary[name] = _describe(name, _sweep(services, fn, now, by, lease))
        except LeaseLost:
            log.warning("lease lost during the %s sweep; standing by", name)
            summary[name] = "lease lost"
            return summary
        except Exception as exc:  # one broken sweep must not stop the others
            log.exception("%s sweep failed", name)
            summary[name] = f"error: {exc}"
    if not outbox:
        return summary
    try:
        summary["outbox"] = _dispatch(services, now)
    except Exception as exc:
        log.exception("outbox dispatch failed")
        summary["outbox"] = f"error: {exc}"
    return summary


class LinliScheduler(BackgroundScheduler):
    """APScheduler with the lease it acts under; shutdown() also gives the lease up."""

    lease: Lease

    def shutdown(self, wait: bool = True) -> None:
        super().shutdown(wait=wait)
        try:
            self.lease.release()
        except Exception:
            log.exception("could not release the scheduler lease")


def build_scheduler(services, lease: Lease | None = None) -> LinliScheduler:
    """The scheduler with its jobs: lease renewal, outbox dispatch, sweeps (not started)."""
    cfg = services.settings.scheduler
    quiet = logging.getLogger("apscheduler")
    if quiet.level == logging.NOTSET:  # one INFO line per job run every second is noise
        quiet.setLevel(logging.WARNING)
    lease = lease or Lease(services.session_factory, cfg.lease_seconds)
    sched = LinliScheduler(timezone=services.settings.desk.timezone,
                           job_defaults={"coalesce": True, "max_instances": 1, "misfire_grace_time": 30})
    sched.lease = lease

    def renew() -> None:
        was_held = lease.held
        try:
            lease.acquire()
        except Exception:
            log.exception("lease renewal failed")
            return
        if lease.held and not was_held:  # a new holder catches up at once
            sched.modify_job("sweeps", next_run_time=datetime.now(timezone.utc))

    def dispatch() -> None:
        if lease.held:
            _dispatch(services, services.clock.now())

    def sweeps() -> None:
        if lease.held:
            summary = run_once(services, None, lease.holder, lease, outbox=False)
            if any(summary.get(k) for k in ("escalations", "handover", "report", "duty_change", "morning_digest")):
                log.info("sweeps: %s", summary)

    renew_every = max(1.0, min(cfg.tick_seconds, cfg.lease_seconds / 3))
    sched.add_job(renew, "interval", seconds=renew_every, id="lease", next_run_time=datetime.now(timezone.utc))
    sched.add_job(dispatch, "interval", seconds=cfg.tick_seconds, id="outbox")
    sched.add_job(sweeps, "interval", seconds=cfg.sweep_seconds, id="sweeps")
    return sched


def run_until_stopped(services, stop: threading.Event | None = None) -> None:
    """Run the scheduler until SIGTERM/SIGINT (or `stop` is set), then release the lease."""
    stop = stop or threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    sched = build_scheduler(services)
    sched.start()
    start_replayer(services)  # messages a web worker spooled while the database was away
    log.info("scheduler %s started", sched.lease.holder)
    try:
        stop.wait()
    finally:
        sched.shutdown(wait=True)
        log.info("scheduler %s stopped", sched.lease.holder)


def main(argv: list[str] | None = None) -> None:
    """`python scheduler.py [--config FILE]`."""
    parser = argparse.ArgumentParser(description="Linli scheduler process")
    parser.add_argument("--config", help="config file (default: config.yaml or $LINLI_CONFIG)")
    parser.add_argument("-v", "--verbose", action="store_true")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.DEBUG if args.verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_until_stopped(build_services(load_settings(args.config)))


if __name__ == "__main__":
    main()
