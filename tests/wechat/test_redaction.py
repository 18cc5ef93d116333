"""Finding 5: the AppSecret, access tokens and query strings never reach a log line or outbox.last_error."""
from __future__ import annotations

import logging
import socket

from sqlalchemy import select

from bot.db.models import Outbox
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.redact import redact
from tests.faults.test_slow_api import DripServer

SECRET = "demo-app-secret"


def test_redact_masks_query_strings_and_credential_parameters():
    text = ("HTTPSConnectionPool(host='api.weixin.qq.com', port=443): Max retries exceeded with url: "
            "/cgi-bin/token?grant_type=client_credential&appid=wx1&secret=S3CR3T (Caused by …)")
    out = redact(text)
    assert "S3CR3T" not in out and "/cgi-bin/token?[redacted]" in out
    assert "TOK" not in redact('{"access_token": "TOKxyz123", "expires_in": 7200}')
    assert "abc" not in redact("POST /wechat?signature=abc&openid=o_x HTTP/1.1")
    assert redact("居民问：几点开门?谢谢") == "居民问：几点开门?谢谢"  # no path: not a query string
    assert redact("msg_key=msg:123 handled") == "msg_key=msg:123 handled"


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def _dispatch_one(desk, base_url: str):
    from bot.outbox.dispatcher import dispatch_due

    desk.settings.outbox.transport = "wechat"
    desk.settings.outbox.send_timeout_s = 3
    desk.settings.wechat.api_base_url = base_url
    with desk.session() as s:
        enqueue(s, OutboundMessage(recipient="o_someone", text="您好"), desk.clock.now())
    dispatch_due(desk.services, now=desk.clock.now())
    with desk.session() as s:
        return s.scalar(select(Outbox))


def _leaks(records, *secrets) -> list[str]:
    lines = []
    for r in records:
        handler = logging.Formatter("%(message)s")
        text = handler.format(r)
        lines += [text for sec in secrets if sec in text]
    return lines


def test_appsecret_stays_out_of_last_error_and_logs_when_the_token_fetch_fails(desk, caplog):
    with caplog.at_level(logging.DEBUG):
        row = _dispatch_one(desk, f"http://127.0.0.1:{_closed_port()}/cgi-bin/")
    assert row.status != "sent" and row.last_error
    assert SECRET not in row.last_error and "secret=" not in row.last_error.replace("secret=[redacted]", "")
    assert not _leaks(caplog.records, SECRET, "secret=" + SECRET)


def test_access_token_stays_out_of_last_error_and_logs_when_a_send_breaks(desk, caplog):
    server = DripServer()
    server.mode = "drop"
    try:
        with caplog.at_level(logging.DEBUG):
            row = _dispatch_one(desk, server.base_url)
    finally:
        server.close()
    assert any("custom/send" in p for p in server.requests)  # the token was fetched, the send broke
    assert row.last_error and "TOKEN_ABC123456" not in row.last_error
    assert not _leaks(caplog.records, "TOKEN_ABC123456", SECRET)
