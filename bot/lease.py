"""The scheduler lease: one row that lets exactly one scheduler process act at a time."""
from __future__ import annotations

import logging
import os
import socket
import uuid
from datetime import datetime, timedelta, timezone
from typing import Callable

from sqlalchemy import case, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.db import transaction
from bot.db.models import SchedulerLease

log = logging.getLogger("linli.lease")


class LeaseLost(RuntimeError):
    """This process no longer holds the lease; the job's transaction must not commit."""


def default_holder_id() -> str:
    """A holder id that names the host and process (readable in the lease row)."""
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _utcnow() -> datetime:
    return datetime.now(timezone.utc)


class Lease:
    """A named lease row with holder, expiry and a fencing counter bumped on every takeover."""

    def __init__(self, session_factory: sessionmaker, seconds: float, holder: str | None = None,
                 name: str = "scheduler", now: Callable[[], datetime] = _utcnow):
        self.session_factory = session_factory
        self.seconds = seconds
        self.holder = holder or default_holder_id()
        self.name = name
        self.now = now
        self.fencing: int | None = None  # set while held
        self._expires: datetime | None = None

    @property
    def held(self) -> bool:
        """True while this process believes it holds an unexpired lease."""
        return self.fencing is not None and self._expires is not None and self.now() < self._expires

    def acquire(self) -> bool:
        """Take or renew the lease atomically; True when this process holds it afterwards."""
        now = self.now()
        expires = now + timedelta(seconds=self.seconds)
        with transaction(self.session_factory) as session:
            fencing = self._take(session, now, expires)
        was_held = self.fencing is not None
        if fencing is None:
            if was_held:
                log.warning("lease %s lost by %s", self.name, self.holder)
            self.fencing, self._expires = None, None
            return False
        if not was_held or fencing != self.fencing:
            log.info("lease %s acquired by %s (fencing %s)", self.name, self.holder, fencing)
        self.fencing, self._expires = fencing, expires
        return True

    def _take(self, session: Session, now: datetime, expires: datetime) -> int | None:
        """One conditional UPDATE (or the first INSERT); returns the fencing value if held."""
        row = session.get(SchedulerLease, self.name)
        if row is None:
            if self._insert(session, expires):
                return 1
        stmt = (
            update(SchedulerLease)
            .where(SchedulerLease.name == self.name)
            .where((SchedulerLease.expires_at < now) | (SchedulerLease.holder == self.holder))
            .values(expires_at=expires, holder=self.holder,
                    fencing=case((SchedulerLease.holder == self.holder, SchedulerLease.fencing),
                                 else_=SchedulerLease.fencing + 1))
            .execution_options(synchronize_session=False)
        )
        if session.execute(stmt).rowcount != 1:
            return None
        return session.scalar(select(SchedulerLease.fencing).where(SchedulerLease.name == self.name))

    def _insert(self, session: Session, expires: datetime) -> bool:
        try:
            with session.begin_nested():
                session.add(SchedulerLease(name=self.name, holder=self.holder, expires_at=expires, fencing=1))
            return True
        except IntegrityError:
            return False  # another process created it first; fall through to the UPDATE

    def fence(self, session: Session) -> None:
        """Inside a job's transaction: raise LeaseLost unless we still hold the lease.

        On PostgreSQL the row is share-locked until commit, so a takeover waits for the job.
        """
        if self.fencing is None:
            raise LeaseLost(self.holder)
        row = session.execute(
            select(SchedulerLease.holder, SchedulerLease.fencing, SchedulerLease.expires_at)
            .where(SchedulerLease.name == self.name).with_for_update(read=True)
        ).first()
        if row is None or row.holder != self.holder or row.fencing != self.fencing:
            self.fencing = None
            raise LeaseLost(self.holder)

    def release(self) -> None:
        """Give the lease up at once (clean shutdown) so a standby need not wait for expiry."""
        if self.fencing is None:
            return
        with transaction(self.session_factory) as session:
            session.execute(
                update(SchedulerLease)
                .where(SchedulerLease.name == self.name, SchedulerLease.holder == self.holder)
                .values(expires_at=self.now() - timedelta(seconds=1))
                .execution_options(synchronize_session=False)
            )
        self.fencing, self._expires = None, None

    def current(self) -> SchedulerLease | None:
        """The lease row as stored (for status output)."""
        with transaction(self.session_factory) as session:
            return session.get(SchedulerLease, self.name)
