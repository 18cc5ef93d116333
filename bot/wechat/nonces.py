"""Replay cache: a signed (timestamp, nonce) pair is good for one message within the timestamp window."""
from __future__ import annotations

import logging
import threading
import time

from sqlalchemy import delete, select, text

from bot.db import transaction
from bot.db.models import WebhookNonce
from bot.db.upsert import insert_for
from bot.wechat.security import Forbidden

log = logging.getLogger("linli.wechat")

MAX_NONCE_CHARS = 64


class NonceCache:
    """Remembers signed pairs in the database so every worker and instance refuses a replay."""

    def __init__(self, session_factory, clock, window_s: int):
        self.session_factory = session_factory
        self.clock = clock
        self.window_s = window_s
        self._next_purge = 0.0
        self._lock = threading.Lock()

    def admit(self, timestamp: str, nonce: str, msg_key: str) -> None:
        """Record the pair; Forbidden if it already carried another message.

        The same message under the same pair passes: a WeChat retry may repeat the request, and
        the message key's dedupe answers it with the first reply.
        """
        table = WebhookNonce.__table__
        with transaction(self.session_factory) as session:
            if session.get_bind().dialect.name == "postgresql":
                # No WAL flush wait: a crash may forget the last few pairs, a tiny replay window for
                # the price of one fsync per message on the hot path.
                session.execute(text("SET LOCAL synchronous_commit TO OFF"))
            stmt = (insert_for(session, table)
                    .values(timestamp=int(timestamp), nonce=nonce, msg_key=msg_key, seen_at=self.clock.now())
                    .on_conflict_do_nothing(index_elements=["timestamp", "nonce"]).returning(table.c.id))
            if session.execute(stmt).scalar() is None:
                seen = session.scalar(select(table.c.msg_key).where(
                    table.c.timestamp == int(timestamp), table.c.nonce == nonce))
                if seen != msg_key:
                    raise Forbidden("nonce already used for another message (replay)")
            self._purge(session)

    def _purge(self, session) -> None:
        """Now and then drop pairs whose timestamp has left the window (they are refused as stale)."""
        with self._lock:
            if time.monotonic() < self._next_purge:
                return
            self._next_purge = time.monotonic() + min(self.window_s, 60)
        horizon = int(self.clock.now().timestamp()) - 2 * self.window_s
        table = WebhookNonce.__table__
        session.execute(delete(table).where(table.c.timestamp < horizon))
