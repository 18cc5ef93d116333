"""Helpers for fault tests: talk to a deployment as WeChat does and count what it stored."""
from __future__ import annotations

import http.client
import time

from sqlalchemy import text

from bot.config import load_settings
from bot.wechat.simulate import WeChatServerSimulator
from tests.scheduler.test_two_schedulers import wait_for  # noqa: F401  (reused, not duplicated)

ACCOUNT = "gh_linli_faults"


def simulator(dep) -> WeChatServerSimulator:
    wx = load_settings(dep.config, env={}).wechat
    return WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, "safe")


def deliver(port: int, sim: WeChatServerSimulator, xml: str, timeout: float = 30) -> tuple[int, str | None, float]:
    """POST one signed, encrypted callback on a new connection: (status, reply text, seconds)."""
    req = sim.sign(xml)
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    t0 = time.monotonic()
    try:
        conn.request("POST", "/wechat?" + req.query, req.body.encode(), {"Content-Type": "text/xml"})
        resp = conn.getresponse()
        body = resp.read()
    finally:
        conn.close()
    elapsed = time.monotonic() - t0
    return resp.status, (sim.read_reply(body, req) if resp.status == 200 else None), elapsed


def scalar_rows(dep, sql: str, **params) -> list:
    engine = dep.db.engine()
    try:
        with engine.connect() as c:
            return [tuple(r) for r in c.execute(text(sql), params)]
    finally:
        engine.dispose()
