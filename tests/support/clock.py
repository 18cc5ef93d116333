"""A clock that stands still until a test moves it."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone


class MovableClock:
    """A clock that stands still until moved (thread-safe)."""

    def __init__(self, start: datetime | None = None):
        self._now = (start or datetime.now(timezone.utc)).astimezone(timezone.utc)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        with self._lock:
            return self._now

    def set(self, when: datetime) -> None:
        if when.tzinfo is None:
            raise ValueError("MovableClock needs a timezone-aware datetime")
        with self._lock:
            self._now = when.astimezone(timezone.utc)

    def advance(self, **kwargs) -> datetime:
        with self._lock:
            self._now += timedelta(**kwargs)
            return self._now
