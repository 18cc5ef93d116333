"""Staff records: seeded from config, bound to WeChat open_ids, looked up by the pipeline."""
from __future__ import annotations

import itertools
import time

from sqlalchemy import event, select
from sqlalchemy.orm import Session

from bot.config import Settings
from bot.db.models import Staff


_changes = itertools.count()  # bumped by any Staff write in this process (cache invalidation)
_generation = [0]


@event.listens_for(Staff, "after_insert")
@event.listens_for(Staff, "after_update")
@event.listens_for(Staff, "after_delete")
def _staff_changed(*_args) -> None:
    _generation[0] = next(_changes) + 1


class StaffDirectory:
    """Looks up active staff members in the database."""

    def __init__(self, ttl_s: float = 5.0):
        self.ttl_s = ttl_s  # other processes' staff edits reach this one within ttl_s
        self._open_ids: frozenset[str] = frozenset()
        self._loaded = (-1.0, -1)  # (monotonic time, generation)

    def by_open_id(self, session: Session, open_id: str) -> Staff | None:
        """Active staff member with this open_id; residents (most messages) cost no query."""
        if open_id not in self._staff_open_ids(session):
            return None
        memo = session.info.setdefault("staff_by_open_id", {})
        if open_id not in memo:
            memo[open_id] = session.scalar(
                select(Staff).where(Staff.open_id == open_id, Staff.active.is_(True)))
        return memo[open_id]

    def _staff_open_ids(self, session: Session) -> frozenset[str]:
        at, generation = self._loaded
        if generation != _generation[0] or time.monotonic() - at > self.ttl_s:
            rows = session.scalars(select(Staff.open_id).where(Staff.active.is_(True), Staff.open_id.is_not(None)))
            self._open_ids = frozenset(rows)
            self._loaded = (time.monotonic(), _generation[0])
        return self._open_ids

    def by_name(self, session: Session, name: str) -> Staff | None:
        return session.scalar(select(Staff).where(Staff.name == name, Staff.active.is_(True)))

    def leads(self, session: Session) -> list[Staff]:
        rows = session.scalars(select(Staff).where(Staff.role == "lead", Staff.active.is_(True)))
        return list(rows)

    def active(self, session: Session) -> list[Staff]:
        return list(session.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.rotation_order, Staff.id)))


def seed_staff(session: Session, settings: Settings) -> int:
    """Insert config staff that the database does not know yet (never overwrites console edits)."""
    known = {s.name for s in session.scalars(select(Staff))}
    added = 0
    for order, entry in enumerate(settings.staff):
        if entry.name in known:
            continue
        session.add(Staff(
            name=entry.name, open_id=entry.open_id, phone=entry.phone, role=entry.role,
            wecom_userid=entry.wecom_userid,
            eligible=entry.eligible, no_holiday_duty=entry.no_holiday_duty, rotation_order=order,
        ))
        added += 1
    return added
