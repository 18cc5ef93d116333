"""Atomic attempt counters with backoff (console logins, bind codes): one row per key.

An attempt is counted *before* it is checked, in a short transaction that holds the key's row lock,
so concurrent attempts on PostgreSQL cannot all slip under the limit, and the slow check itself
(argon2) runs outside any write transaction. A key is never locked for good: past `free` failures
each further attempt waits twice as long as the one before, up to `max_wait_s`, and quiet keys
forget their failures after `reset_after`.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.db.models import RateCounter
from bot.db.upsert import insert_for


@dataclass(frozen=True)
class Policy:
    free: int  # attempts counted before the first wait
    max_wait_s: float
    reset_after: timedelta
    base_s: float = 1.0

    def wait_after(self, count: int) -> timedelta | None:
        """How long the key waits after its `count`-th counted attempt (None: no wait)."""
        if count < self.free:
            return None
        return timedelta(seconds=min(self.max_wait_s, self.base_s * 2 ** (count - self.free)))


def fixed_window(limit: int, window: timedelta) -> Policy:
    """`limit` attempts, then nothing until `window` after the last one."""
    seconds = window.total_seconds()
    return Policy(free=limit, max_wait_s=seconds, reset_after=window, base_s=seconds)


def key_for(kind: str, value: str) -> str:
    """A counter key; the value is hashed so arbitrary input has a bounded, unrevealing key."""
    return f"{kind}:{hashlib.sha256(value.encode('utf-8', 'replace')).hexdigest()[:40]}"


def _locked(session: Session, key: str, now: datetime) -> RateCounter:
    """The key's row, created if missing, locked until the transaction ends."""
    session.execute(insert_for(session, RateCounter.__table__)
                    .values(key=key, count=0, updated_at=now).on_conflict_do_nothing(index_elements=["key"]))
    return session.scalar(select(RateCounter).where(RateCounter.key == key)
                          .with_for_update().execution_options(populate_existing=True))


def blocked(session: Session, key: str, policy: Policy, now: datetime) -> bool:
    """True if the key must wait now (read only)."""
    row = session.get(RateCounter, key)
    if row is None or row.updated_at <= now - policy.reset_after:
        return False
    return row.blocked_until is not None and row.blocked_until > now


def reserve(session: Session, key: str, policy: Policy, now: datetime) -> bool:
    """Count one attempt, assuming it fails; False (nothing counted) while the key must wait."""
    row = _locked(session, key, now)
    if row.updated_at <= now - policy.reset_after:
        row.count, row.blocked_until = 0, None
    if row.blocked_until is not None and row.blocked_until > now:
        return False
    row.count += 1
    row.updated_at = now
    wait = policy.wait_after(row.count)
    row.blocked_until = now + wait if wait else None
    return True


def count(session: Session, key: str, policy: Policy, now: datetime, by: int = 1) -> int:
    """Add to the key's count (no waiting involved); returns the new count."""
    row = _locked(session, key, now)
    if row.updated_at <= now - policy.reset_after:
        row.count = 0
    row.count += by
    row.updated_at = now
    return row.count


def give_back(session: Session, key: str, policy: Policy, now: datetime) -> None:
    """The reserved attempt succeeded: it no longer counts against the key."""
    row = _locked(session, key, now)
    row.count = max(0, row.count - 1)
    if row.count < policy.free:
        row.blocked_until = None


def forget(session: Session, key: str) -> None:
    session.execute(delete(RateCounter).where(RateCounter.key == key))


def purge_stale(session: Session, before: datetime) -> int:
    """Drop counters nobody touched since `before` and that hold no wait (privacy sweep)."""
    result = session.execute(delete(RateCounter).where(
        RateCounter.updated_at < before,
        (RateCounter.blocked_until.is_(None)) | (RateCounter.blocked_until < before)))
    return result.rowcount or 0
