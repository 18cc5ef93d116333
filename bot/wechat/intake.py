"""Store-or-spool under a deadline: a slow or hung database never holds a webhook call past it.

The replay check and the pipeline run in a small worker pool with statement/lock timeouts. If at
`store_deadline_s` they are still waiting on the database (or have not started: every worker is
stuck), the message goes to the spool and the resident gets the spool's acknowledgement. Work that is
merely slow in Python (a loaded CPU) gets until HARD_DEADLINE_S, then is spooled all the same. The
late worker may still finish; the replay's dedupe (by message key) then queues the real reply once.
If neither the database nor the spool took the message, NotStored (the view answers 503).
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import dataclass

from bot.db import DbWatch, statement_deadline, watched
from bot.domain import Inbound, Reply
from bot.spool import keep, unavailable
from bot.wechat.nonces import NonceCache

log = logging.getLogger("linli.wechat")

WORKERS = 16  # threads that may wait on the database at once; later calls queue, then spool
HARD_DEADLINE_S = 4.0  # WeChat gives up at 5 s: spool by now whatever the reason
IN_CALL_S = 0.2  # a database call this old at the deadline counts as the database being slow


@dataclass(frozen=True)
class Signed:
    """The signed query parts of one POST (the replay cache's key)."""

    timestamp: str
    nonce: str


class Intake:
    """Runs `process(inbound)` for the webhook with a total deadline and the replay check."""

    def __init__(self, services, process, deadline_s: float):
        self.services = services
        self.process = process
        self.deadline_s = deadline_s
        self.nonces = NonceCache(services.session_factory, services.clock,
                                 services.settings.wechat.timestamp_window_s)
        self._pool = ThreadPoolExecutor(WORKERS, thread_name_prefix="linli-intake")

    def __call__(self, inbound: Inbound, signed: Signed) -> Reply:
        started, watch = time.monotonic(), DbWatch()
        future = self._pool.submit(self._store, inbound, signed, watch)
        wait = self.deadline_s
        while True:
            try:
                return future.result(timeout=wait)
            except FutureTimeout:
                pass
            elapsed = time.monotonic() - started
            if future.cancel() or watch.waiting_for() >= IN_CALL_S or elapsed >= HARD_DEADLINE_S:
                break  # not started (all workers stuck), stuck in a database call, or out of time
            wait = min(0.05, HARD_DEADLINE_S - elapsed)
        log.warning("%s not stored after %.1f s (database call %.1f s), spooling it",
                    inbound.msg_key, time.monotonic() - started, watch.waiting_for())
        return keep(self.services, inbound)

    def _store(self, inbound: Inbound, signed: Signed, watch: DbWatch) -> Reply:
        # Statement and lock timeouts fire first, so a merely slow database spools from here.
        with watched(watch), statement_deadline(self.deadline_s * 0.8):
            self._admit(inbound, signed)
            return self.process(inbound)

    def _admit(self, inbound: Inbound, signed: Signed) -> None:
        try:
            self.nonces.admit(signed.timestamp, signed.nonce, inbound.msg_key)
        except Exception as exc:
            if not unavailable(exc):
                raise
            # Database away: the message is spooled next; in safe mode its body is signed anyway.
            log.warning("replay check skipped for %s: database unavailable", inbound.msg_key)
