"""Store-or-spool under a deadline: a slow or hung database never holds a webhook call past it.

The replay check and the pipeline run in a small worker pool with statement/lock timeouts. If they
have not answered by `store_deadline_s`, the message goes to the spool and the resident gets the
spool's acknowledgement; the late worker may still finish, and the replay's dedupe (by message key)
then queues the real reply once. If neither the database nor the spool took it, NotStored.
"""
from __future__ import annotations

import logging
import time
from concurrent.futures import ThreadPoolExecutor, TimeoutError as FutureTimeout
from dataclasses import dataclass

from bot.db import statement_deadline
from bot.domain import Inbound, Reply
from bot.spool import keep, unavailable
from bot.wechat.nonces import NonceCache

log = logging.getLogger("linli.wechat")

WORKERS = 16  # threads that may wait on the database at once; later calls queue, then spool


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
        started = time.monotonic()
        future = self._pool.submit(self._store, inbound, signed)
        try:
            return future.result(timeout=self.deadline_s)
        except FutureTimeout:
            future.cancel()  # not started yet (every worker stuck): it never runs
            log.warning("database slow: %s not stored after %.1f s, spooling it",
                        inbound.msg_key, time.monotonic() - started)
            return keep(self.services, inbound)

    def _store(self, inbound: Inbound, signed: Signed) -> Reply:
        # Statement and lock timeouts fire first, so a merely slow database spools from here.
        with statement_deadline(self.deadline_s * 0.8):
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
