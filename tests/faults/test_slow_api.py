"""Finding 9: a WeChat API that drips one byte at a time cannot hold an outbox row (or the lease) for minutes."""
from __future__ import annotations

import json
import socket
import threading
import time

import pytest

from bot.outbox.transports import Delivery, DeliveryError, WeComRobot, build_transports

DRIP_S = 1.0  # one byte per second: no single read ever waits long enough for a read timeout
DEADLINE_S = 2.0


class DripServer:
    """HTTP on 127.0.0.1: /cgi-bin/token answers at once; every other path answers one byte per DRIP_S."""

    def __init__(self):
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.requests: list[str] = []
        self.mode = "drip"  # "drop": close the connection instead of answering (after the token)
        threading.Thread(target=self._accept, daemon=True).start()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/cgi-bin/"

    def close(self) -> None:
        self._server.close()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _serve(self, conn: socket.socket) -> None:
        with conn:
            while (path := _read_request(conn)) is not None:
                self.requests.append(path)
                body = (json.dumps({"access_token": "TOKEN_ABC123456", "expires_in": 7200}) if "/token" in path
                        else json.dumps({"errcode": 0, "errmsg": "ok"})).encode()
                answer = (b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                          + f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
                try:
                    if "/token" in path:
                        conn.sendall(answer)
                        continue
                    if self.mode == "drop":
                        return
                    for i in range(len(answer)):
                        conn.sendall(answer[i:i + 1])
                        time.sleep(DRIP_S)
                except OSError:
                    return


def _read_request(conn: socket.socket) -> str | None:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(4096)
        if not chunk:
            return None
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    length = next((int(line.split(b":")[1]) for line in head.split(b"\r\n")
                   if line.lower().startswith(b"content-length:")), 0)
    while len(rest) < length:
        rest += conn.recv(4096)
    return head.split(b" ")[1].decode()


@pytest.fixture
def drip():
    server = DripServer()
    yield server
    server.close()


def test_customer_service_send_ends_at_the_total_deadline(desk, drip):
    settings = desk.settings
    settings.outbox.transport, settings.outbox.send_timeout_s = "wechat", DEADLINE_S
    settings.wechat.api_base_url = drip.base_url
    transports = build_transports(desk.services)
    t0 = time.monotonic()
    with pytest.raises(DeliveryError) as err:
        transports.send(Delivery(1, "customer_service", "o_slow", "您好"))
    elapsed = time.monotonic() - t0
    assert elapsed < DEADLINE_S + 1.5, elapsed  # before: ~100 bytes x 1 s
    assert "deadline" in str(err.value)
    assert any("custom/send" in p for p in drip.requests)
    assert "TOKEN_ABC123456" not in str(err.value) and "access_token=" not in str(err.value).replace(
        "access_token=[redacted]", "")


def test_wecom_robot_post_ends_at_the_total_deadline(drip):
    robot = WeComRobot(drip.base_url + "webhook/send?key=robot-key-123456", DEADLINE_S)
    t0 = time.monotonic()
    with pytest.raises(DeliveryError) as err:
        robot.send(Delivery(2, "wecom_robot", "duty", "新工单 #1"))
    assert time.monotonic() - t0 < DEADLINE_S + 1.5
    assert "robot-key-123456" not in str(err.value)


def test_a_dispatch_round_against_a_dripping_api_ends_and_frees_its_rows(desk, drip):
    """Each row gets one total deadline, so the round (and the scheduler holding the lease) moves on."""
    from sqlalchemy import select

    from bot.db.models import Outbox
    from bot.outbox.dispatcher import dispatch_due
    from bot.domain import OutboundMessage
    from bot.outbox.enqueue import enqueue

    desk.settings.outbox.transport, desk.settings.outbox.send_timeout_s = "wechat", DEADLINE_S
    desk.settings.wechat.api_base_url = drip.base_url
    with desk.session() as s:
        for i in range(3):
            enqueue(s, OutboundMessage(recipient=f"o_r{i}", text=f"第{i}条"), desk.clock.now())
    t0 = time.monotonic()
    dispatch_due(desk.services, now=desk.clock.now())
    assert time.monotonic() - t0 < 3 * (DEADLINE_S + 1), time.monotonic() - t0
    with desk.session() as s:
        rows = list(s.scalars(select(Outbox)))
    assert all(r.status != "sending" and r.status != "sent" and "deadline" in (r.last_error or "") for r in rows), \
        [(r.status, r.last_error) for r in rows]
