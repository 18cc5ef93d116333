"""Console login checks: throttled by name and by address with backoff, hashing outside transactions."""
from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import select

from bot import ratelimit
from bot.db.models import Staff
from bot.web.helpers import db, now, services
from bot.web.passwords import burn_time, verify_password

# One answer for every failure: it tells nobody which names exist or which limit was hit.


class Refused(Exception):
    """A key is backing off: the attempt is not counted and no password is checked."""


@dataclass(frozen=True)
class Keys:
    name: str
    address: str


def _policies(limits) -> tuple[ratelimit.Policy, ratelimit.Policy]:
    reset = timedelta(minutes=limits.login_reset_minutes)
    return (ratelimit.Policy(limits.login_free_failures_name, limits.login_backoff_max_s_name, reset),
            ratelimit.Policy(limits.login_free_failures_address, limits.login_backoff_max_s_address, reset))


def _keys(name: str, address: str) -> Keys:
    folded = unicodedata.normalize("NFKC", name).strip().casefold()[:200]
    return Keys(ratelimit.key_for("login-name", folded), ratelimit.key_for("login-addr", address or "?"))


def _reserve(keys: Keys, by_name, by_address) -> None:
    """Count this attempt against the name and the address first (short write transaction)."""
    at = now()
    with db() as s:
        if ratelimit.blocked(s, keys.name, by_name, at) or ratelimit.blocked(s, keys.address, by_address, at):
            raise Refused
        if not (ratelimit.reserve(s, keys.name, by_name, at) and ratelimit.reserve(s, keys.address, by_address, at)):
            raise Refused  # lost a race with a concurrent attempt: the transaction rolls back


def _stored_hash(name: str) -> tuple[int | None, str | None]:
    """The active account's id and password hash, read without holding any lock during hashing."""
    with db() as s:
        staff = s.scalar(select(Staff).where(Staff.name == name))
        if staff is None or not staff.active or not staff.password_hash:
            return None, None
        return staff.id, staff.password_hash


def check_login(name: str, password: str, address: str) -> Staff | None:
    """The staff member if NAME/PASSWORD are right and neither name nor address is backing off."""
    by_name, by_address = _policies(services().settings.limits)
    keys = _keys(name, address)
    try:
        _reserve(keys, by_name, by_address)
    except Refused:
        return None
    staff_id, stored = _stored_hash(name)
    if stored is None:
        burn_time(password)  # unknown names take as long as known ones
        return None
    if not verify_password(stored, password):
        return None
    with db() as s:
        ratelimit.forget(s, keys.name)
        ratelimit.give_back(s, keys.address, by_address, now())
        staff = s.get(Staff, staff_id)
        return staff if staff is not None and staff.active and staff.password_hash == stored else None
