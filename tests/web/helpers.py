"""Helpers for console tests: CSRF-aware logins and form posts through Flask's test client."""
from __future__ import annotations

import re

from bot.db import transaction
from bot.web.users import ensure_user

TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
PASSWORD = "correct-horse-42"


def csrf(client, path: str = "/admin/login") -> str:
    """The CSRF token a page hands the browser."""
    page = client.get(path)
    match = TOKEN.search(page.get_data(as_text=True))
    assert match, f"no CSRF token on {path} (HTTP {page.status_code})"
    return match.group(1)


def add_user(desk, name: str, role: str, password: str = PASSWORD) -> None:
    with transaction(desk.services.session_factory) as s:
        ensure_user(s, name, password, role)


def login(desk, name: str, password: str = PASSWORD):
    """A fresh test client logged in as NAME."""
    client = desk.app.test_client()
    resp = client.post("/admin/login", data={"name": name, "password": password, "csrf_token": csrf(client)})
    assert resp.status_code == 302, resp.get_data(as_text=True)[:500]
    return client


def post(client, path: str, data: dict | None = None, token_from: str = "/admin/tickets/", **kw):
    """POST a console form with the session's CSRF token."""
    data = dict(data or {}, csrf_token=csrf(client, token_from))
    return client.post(path, data=data, **kw)


def open_ticket(desk, text: str, as_: str = "o_resident_web") -> int:
    """A resident asks something and asks for a person; returns the new ticket's number."""
    from sqlalchemy import select

    from bot.db.models import Ticket

    desk.send(text, as_=as_)
    with desk.session() as s:
        found = s.scalar(select(Ticket.id).where(Ticket.resident_open_id == as_).order_by(Ticket.id.desc()))
    if found is None:
        desk.send("转人工", as_=as_)
        with desk.session() as s:
            found = s.scalar(select(Ticket.id).where(Ticket.resident_open_id == as_).order_by(Ticket.id.desc()))
    assert found is not None, "no ticket was opened"
    return found
