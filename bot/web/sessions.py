"""Console sessions kept on the server: the cookie holds a random token, the row says if it still holds.

A session ends at logout, when the staff member's password changes or they are deactivated, after
`web.session_idle_minutes` without a request, and `web.session_max_hours` after login at the latest.
"""
from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from flask import session as cookie
from sqlalchemy import delete, event, inspect
from sqlalchemy.orm import Session

from bot.db.models import ConsoleSession, Staff
from bot.web.passwords import fingerprint

TOKEN_KEY = "sid"
TOUCH_EVERY = timedelta(seconds=60)  # last_seen is written at most this often (one write per minute)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def start(s: Session, staff: Staff, now: datetime, address: str) -> None:
    """Log STAFF in: a fresh cookie (no fixation) naming a new server-side row."""
    token = secrets.token_urlsafe(32)
    s.add(ConsoleSession(id=_hash(token), staff_id=staff.id, pw=fingerprint(staff.password_hash),
                         created_at=now, last_seen_at=now, address=(address or "")[:64]))
    cookie.clear()
    cookie.permanent = False
    cookie[TOKEN_KEY] = token


def current(s: Session, settings, now: datetime) -> Staff | None:
    """The staff member of this request's session, or None (an expired or revoked row is deleted)."""
    token = cookie.get(TOKEN_KEY)
    if not isinstance(token, str) or not token:
        return None
    row = s.get(ConsoleSession, _hash(token))
    if row is None:
        return None
    staff = s.get(Staff, row.staff_id)
    if not _valid(row, staff, settings.web, now):
        s.delete(row)
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        row.last_seen_at = now
    return staff


def _valid(row: ConsoleSession, staff: Staff | None, web, now: datetime) -> bool:
    if staff is None or not staff.active or row.pw != fingerprint(staff.password_hash):
        return False
    if now - row.last_seen_at > timedelta(minutes=web.session_idle_minutes):
        return False
    return now - row.created_at <= timedelta(hours=web.session_max_hours)


def end(s: Session) -> None:
    """Logout: the row goes, so a copy of the cookie is worth nothing."""
    token = cookie.get(TOKEN_KEY)
    if isinstance(token, str) and token:
        s.execute(delete(ConsoleSession).where(ConsoleSession.id == _hash(token)))
    cookie.clear()


def revoke_all(s: Session, staff_id: int) -> int:
    """End every session of one staff member (password change, deactivation)."""
    return s.execute(delete(ConsoleSession).where(ConsoleSession.staff_id == staff_id)).rowcount or 0


@event.listens_for(Session, "before_flush")
def _revoke_on_password_change(s: Session, _ctx, _instances) -> None:
    """Whatever path changes a password or deactivates someone, their sessions end with it."""
    for obj in s.dirty:
        if not isinstance(obj, Staff) or obj.id is None:
            continue
        state = inspect(obj)
        if state.attrs.password_hash.history.has_changes() or (
                state.attrs.active.history.has_changes() and not obj.active):
            revoke_all(s, obj.id)
