"""A conversation harness: talk to the bot through the real webhook, as WeChat does.

    desk.send("几点下班")            -> the passive reply text (decrypted), or None for 'success'
    desk.outbox()                    -> rows queued for the WeChat API
    desk.clock.advance(minutes=15)   -> move time
"""
from __future__ import annotations

import itertools
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import select

from bot.app import create_app
from tests.support.clock import MovableClock
from bot.config import load_settings
from bot.db import transaction
from bot.db.models import Outbox
from bot.services import build_services
from bot.wechat.simulate import WeChatServerSimulator, event_xml, text_xml

ROOT = Path(__file__).resolve().parents[2]
ACCOUNT = "gh_linli_test"
START = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)  # 09:00 in Shanghai, a Tuesday


def test_settings(db_url: str, **overrides):
    """The repo's config.yaml pointed at a test database, with section overrides."""
    settings = load_settings(ROOT / "config.yaml", env={})
    settings.database.url = db_url
    for dotted, value in overrides.items():
        node = settings
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = getattr(node, p)
        setattr(node, leaf, value)
    return settings


class Desk:
    """The bot behind its webhook, with a movable clock."""

    _msg_ids = itertools.count(10_000_000)

    def __init__(self, settings, mode: str = "safe", start: datetime = START):
        self.settings = settings
        self.clock = MovableClock(start)
        self.services = build_services(settings, clock=self.clock)
        self.app = create_app(settings, self.services)
        self.client = self.app.test_client()
        wx = settings.wechat
        self.sim = WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, mode)
        self.last_response = None

    def post(self, xml: str):
        """POST one callback, signed and encrypted at the clock's time; returns the response."""
        req = self.sim.sign(xml, int(self.clock.now().timestamp()))
        self.last_request = req
        self.last_response = self.client.post("/wechat", query_string=req.params, data=req.body.encode())
        return self.last_response

    def send(self, text: str, as_: str = "o_resident_1", msg_id: int | None = None) -> str | None:
        """Send a text message; return the decrypted passive reply (None for 'success')."""
        msg_id = next(self._msg_ids) if msg_id is None else msg_id
        resp = self.post(text_xml(as_, ACCOUNT, text, msg_id, int(self.clock.now().timestamp())))
        assert resp.status_code == 200, (resp.status_code, resp.data)
        return self.sim.read_reply(resp.data, self.last_request)

    def event(self, event: str, as_: str = "o_resident_1", key: str = "") -> str | None:
        resp = self.post(event_xml(as_, ACCOUNT, event, key, int(self.clock.now().timestamp())))
        assert resp.status_code == 200, (resp.status_code, resp.data)
        return self.sim.read_reply(resp.data, self.last_request)

    def session(self):
        return transaction(self.services.session_factory)

    def outbox(self, recipient: str | None = None) -> list[Outbox]:
        with self.session() as s:
            q = select(Outbox).order_by(Outbox.id)
            if recipient:
                q = q.where(Outbox.recipient == recipient)
            return list(s.scalars(q))

    def close(self) -> None:
        self.services.engine.dispose()
