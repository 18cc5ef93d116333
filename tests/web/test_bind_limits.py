"""Bind codes under attack (issue 12, finding 6): a per-sender limit, a global limit that voids every
outstanding code, and brute force that cannot bind — all through the real webhook."""
from __future__ import annotations

import random

from sqlalchemy import select

from bot.db.models import Staff
from bot.texts import BIND_BOUND as BOUND, BIND_INVALID as INVALID, BIND_TOO_MANY as TOO_MANY
from tests.web.helpers import add_user, post


def _code_for(desk, admin, name: str) -> str:
    """A fresh bind code for NAME (a new, unbound staff member if needed)."""
    add_user(desk, name, "staff")
    with desk.session() as s:
        staff_id = s.scalar(select(Staff.id).where(Staff.name == name))
    post(admin, f"/admin/staff/{staff_id}/bind", token_from="/admin/staff/")
    with desk.session() as s:
        return s.scalar(select(Staff.bind_code).where(Staff.id == staff_id))


def _bound_open_id(desk, name: str) -> str | None:
    with desk.session() as s:
        return s.scalar(select(Staff.open_id).where(Staff.name == name))


def _wrong_codes(real: str, n: int) -> list[str]:
    rng = random.Random(12)
    return [c for c in (f"{rng.randrange(10**6):06d}" for _ in range(n + 5)) if c != real][:n]


def test_brute_force_from_one_wechat_account_cannot_bind(console, admin):
    real = _code_for(console, admin, "新同事")
    replies = [console.send(f"绑定 {guess}", as_="o_attacker") for guess in _wrong_codes(real, 300)]
    limit = console.settings.limits.bind_attempts_per_sender
    assert replies[:limit] == [INVALID] * limit and set(replies[limit:]) == {TOO_MANY}
    assert console.send(f"绑定 {real}", as_="o_attacker") == TOO_MANY  # even the right code, now
    assert _bound_open_id(console, "新同事") is None


def test_guesses_from_many_accounts_void_the_outstanding_codes(console, admin):
    real = _code_for(console, admin, "新同事")
    limit = console.settings.limits.bind_failures_global
    for i, guess in enumerate(_wrong_codes(real, limit)):
        assert console.send(f"绑定 {guess}", as_=f"o_attacker_{i}") == INVALID
    assert console.send(f"绑定 {real}", as_="o_attacker_last") == INVALID
    assert _bound_open_id(console, "新同事") is None
    fresh = _code_for(console, admin, "新同事")  # the admin makes a new code; it works
    assert console.send(f"绑定 {fresh}", as_="o_new_colleague_phone") == BOUND.format(name="新同事")


def test_a_typo_does_not_stop_the_real_staff_member(console, admin):
    real = _code_for(console, admin, "新同事")
    assert console.send(f"绑定 {_wrong_codes(real, 1)[0]}", as_="o_new_colleague_phone") == INVALID
    assert console.send(f"绑定 {real}", as_="o_new_colleague_phone") == BOUND.format(name="新同事")
    assert _bound_open_id(console, "新同事") == "o_new_colleague_phone"


def test_the_sender_limit_ends_with_its_window(console, admin):
    limits = console.settings.limits
    for guess in _wrong_codes("", limits.bind_attempts_per_sender + 1):
        console.send(f"绑定 {guess}", as_="o_clumsy_staff")
    console.clock.advance(minutes=limits.bind_window_minutes + 1)
    real = _code_for(console, admin, "新同事乙")
    assert console.send(f"绑定 {real}", as_="o_clumsy_staff") == BOUND.format(name="新同事乙")
