"""Password hashing (argon2id) for console logins."""
from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from bot import texts as M

_hasher = PasswordHasher()
MIN_LENGTH = 8


def hash_password(password: str) -> str:
    """An argon2id hash of the password."""
    if len(password) < MIN_LENGTH:
        raise ValueError(M.PASSWORD_TOO_SHORT.format(n=MIN_LENGTH))
    return _hasher.hash(password)


def verify_password(stored: str | None, password: str) -> bool:
    """True if the password matches the stored hash (False for no hash or a bad hash)."""
    if not stored:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def burn_time(password: str) -> None:
    """Spend the time of one verification, so unknown users answer as slowly as known ones."""
    global _dummy
    if _dummy is None:
        _dummy = _hasher.hash("linli-timing-equaliser")
    verify_password(_dummy, password)


_dummy: str | None = None


def fingerprint(stored: str | None) -> str:
    """A short tag of the hash: a session dies when the password changes."""
    return (stored or "")[-12:]
