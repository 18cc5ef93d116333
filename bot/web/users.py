"""Console user records: create staff logins, set passwords and roles."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.db.models import Staff
from bot.web.passwords import hash_password

ROLES = ("admin", "lead", "staff")


def ensure_user(session: Session, name: str, password: str, role: str | None = None,
                only_if_unset: bool = False) -> Staff | None:
    """Create NAME (or update it) with a password; returns the row if anything changed."""
    staff = session.scalar(select(Staff).where(Staff.name == name))
    if staff is not None and only_if_unset and staff.password_hash:
        return None
    if staff is None:
        if role is None:
            return None  # demo staff logins only for staff that exist
        order = session.scalar(select(func.coalesce(func.max(Staff.rotation_order), 0))) + 1
        staff = Staff(name=name, role=role, eligible=role != "admin", rotation_order=order)
        session.add(staff)
    elif role is not None:
        staff.role = role
    staff.password_hash = hash_password(password)
    staff.active = True
    staff.failed_logins = 0
    staff.locked_until = None
    session.flush()
    return staff
