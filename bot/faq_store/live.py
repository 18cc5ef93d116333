"""The live FAQ matcher: built from the database, rebuilt within seconds of any FAQ save."""
from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from sqlalchemy import select

from bot.db import transaction
from bot.db.models import FaqEntry as FaqRow
from bot.faq_store.revisions import import_entries, kb_version, to_entry
from knowledge_base.loader import FaqEntry, load_kb
from knowledge_base.matcher import Matcher
from knowledge_base.settings import FaqSettings

log = logging.getLogger("linli.matchers")


@dataclass(frozen=True)
class LiveKB:
    """One consistent snapshot: the matcher and the entries it was built from."""

    matcher: Matcher
    entries: dict[str, FaqEntry]
    version: tuple[int, int]

    def match(self, text: str):
        return self.matcher.match(text)


class MatcherProvider:
    """Hands out the current LiveKB; checks the FAQ version at most every `interval_s` seconds."""

    def __init__(self, session_factory, settings: FaqSettings, interval_s: float = 2.0):
        self.session_factory = session_factory
        self.settings = settings
        self.interval_s = interval_s
        self._live: LiveKB | None = None
        self._checked = 0.0
        self._lock = threading.Lock()

    def current(self, session=None) -> LiveKB:
        """The live snapshot; pass the caller's session when inside a transaction (SQLite locks)."""
        live = self._live
        if live is not None and time.monotonic() - self._checked < self.interval_s:
            return live
        with self._lock:
            if session is not None:
                return self._refresh(session)
            with transaction(self.session_factory) as own:
                return self._refresh(own)

    def _refresh(self, session) -> LiveKB:
        version = kb_version(session)
        if self._live is None or self._live.version != version:
            rows = session.scalars(select(FaqRow).where(FaqRow.enabled.is_(True)))
            self._live = self._build([to_entry(r) for r in rows], version)
        self._checked = time.monotonic()
        return self._live

    def _build(self, entries: list[FaqEntry], version) -> LiveKB:
        started = time.perf_counter()
        matcher = Matcher(entries, self.settings)
        log.info("FAQ matcher built: %d entries in %.0f ms", len(entries), (time.perf_counter() - started) * 1000)
        return LiveKB(matcher, {e.id: e for e in entries}, version)


def seed_faq(session, path: str, now) -> int:
    """Load the default knowledge base into an empty FAQ table; returns entries added."""
    if session.scalar(select(FaqRow.id).limit(1)) is not None:
        return 0
    report = import_entries(session, load_kb(path), "system", now)
    return report.created
