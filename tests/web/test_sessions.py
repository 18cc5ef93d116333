"""Console sessions on the server (issue 12, finding 11): logout and password changes revoke them,
an idle session expires, and no session outlives its absolute lifetime."""
from __future__ import annotations

import base64
import json

from sqlalchemy import select

from bot.db.models import ConsoleSession, Staff
from tests.web.helpers import add_user, login, post


def _cookie(client) -> str:
    return client.get_cookie("session").value


def _with_cookie(desk, value: str):
    """A different browser that holds a copy of someone's session cookie."""
    other = desk.app.test_client()
    other.set_cookie("session", value)
    return other


def _signed_in(client) -> bool:
    return client.get("/admin/tickets/").status_code == 200


def test_a_copied_cookie_is_worthless_after_logout(console):
    client = login(console, "王芳")
    stolen = _cookie(client)
    assert _signed_in(_with_cookie(console, stolen))
    assert post(client, "/admin/logout").status_code == 302
    assert not _signed_in(_with_cookie(console, stolen))


def test_a_password_change_revokes_every_session_of_that_person(console, admin):
    client = login(console, "王芳")
    stolen = _cookie(client)
    with console.session() as s:
        wang = s.scalar(select(Staff).where(Staff.name == "王芳"))
    add_user(console, "王芳", "staff", password="another-pass-99")  # as `linli user add` does
    assert not _signed_in(_with_cookie(console, stolen)) and not _signed_in(client)
    with console.session() as s:
        assert s.scalar(select(ConsoleSession).where(ConsoleSession.staff_id == wang.id)) is None
    assert _signed_in(admin)  # the admin's own session is untouched


def test_an_idle_session_expires_and_activity_keeps_it(console):
    idle = console.settings.web.session_idle_minutes
    client = login(console, "王芳")
    for _ in range(3):
        console.clock.advance(minutes=idle - 1)
        assert _signed_in(client)
    console.clock.advance(minutes=idle + 1)
    assert not _signed_in(client)


def test_no_session_outlives_its_absolute_lifetime(console):
    web = console.settings.web
    client = login(console, "王芳")
    step = max(1, web.session_idle_minutes // 2)
    elapsed = 0
    while elapsed + step < web.session_max_hours * 60:
        console.clock.advance(minutes=step)
        elapsed += step
        assert _signed_in(client), elapsed
    console.clock.advance(minutes=web.session_max_hours * 60 - elapsed + 1)
    assert not _signed_in(client)


def test_the_cookie_names_no_account_and_no_password_hash(console):
    client = login(console, "王芳")
    payload = _cookie(client).split(".")[0].lstrip(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    assert set(data) <= {"sid", "csrf_token", "_flashes", "_permanent"} and "sid" in data
