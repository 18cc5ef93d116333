"""A fake WeChat API server: a REAL HTTP server on 127.0.0.1 (ephemeral port) that records requests.

    fake = FakeWeChat().start()
    fake.base_url                      -> "http://127.0.0.1:PORT/cgi-bin/"  (settings.wechat.api_base_url)
    fake.robot_url                     -> a WeCom group-robot webhook URL
    fake.fail("message/custom/send", 45015, times=1)   -> answer an errcode (times=None: always)
    fake.delay_s = 0.2                 -> be slow
    fake.hold()/fake.release()         -> record a send, then keep the connection hanging
    fake.texts(to="o_x")               -> contents of customer-service texts that were accepted
"""
from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Recorded:
    path: str
    query: dict
    body: dict
    answer: dict = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return not self.answer.get("errcode")


class FakeWeChat:
    def __init__(self):
        self.requests: list[Recorded] = []
        self.delay_s = 0.0
        self.issued: list[str] = []
        self._failures: dict[str, list] = {}
        self._lock = threading.Lock()
        self._gate = threading.Event()
        self._gate.set()
        self.arrived = threading.Event()  # set whenever a send arrives (for kill tests)
        self.server: ThreadingHTTPServer | None = None
        self.media: dict[str, tuple[bytes, str]] = {}  # media/get: media_id -> (content, content type)

    # -- control ---------------------------------------------------------------------------
    def start(self) -> "FakeWeChat":
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):
                fake._serve(self)

            def do_POST(self):
                fake._serve(self)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        self.release()
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/"

    @property
    def robot_url(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/webhook/send?key=linli-test"

    def fail(self, endpoint: str, errcode: int, times: int | None = 1) -> None:
        """Answer `errcode` for the next `times` calls to endpoint (None: until cleared)."""
        with self._lock:
            self._failures[endpoint] = [errcode, times]

    def clear_failures(self) -> None:
        with self._lock:
            self._failures.clear()

    def hold(self) -> None:
        self._gate.clear()

    def release(self) -> None:
        self._gate.set()

    # -- inspection ------------------------------------------------------------------------
    def calls(self, endpoint: str) -> list[Recorded]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith(endpoint)]

    def texts(self, to: str | None = None) -> list[str]:
        """Customer-service texts the fake accepted (errcode 0), in arrival order."""
        return [r.body["text"]["content"] for r in self.calls("message/custom/send")
                if r.ok and (to is None or r.body.get("touser") == to)]

    # -- serving ---------------------------------------------------------------------------
    def _serve(self, h: BaseHTTPRequestHandler) -> None:
        url = urlsplit(h.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(h.headers.get("Content-Length") or 0)
        raw = h.rfile.read(length) if length else b""
        body = json.loads(raw.decode("utf-8")) if raw else {}
        rec = Recorded(url.path, query, body)
        with self._lock:
            self.requests.append(rec)
            rec.answer = self._answer(url.path, query)
        if self.delay_s:
            time.sleep(self.delay_s)
        if url.path.endswith("/custom/send"):
            self.arrived.set()
            self._gate.wait(30)
        data, kind = json.dumps(rec.answer).encode(), "application/json"
        if url.path.endswith("/media/get") and not rec.answer.get("errcode"):
            data, kind = self.media[query.get("media_id")]
        try:
            h.send_response(200)
            h.send_header("Content-Type", kind)
            h.send_header("Content-Length", str(len(data)))
            h.end_headers()
            h.wfile.write(data)
        except OSError:  # the client was killed while we held the request
            pass

    def _answer(self, path: str, query: dict) -> dict:
        endpoint = path.split("/cgi-bin/", 1)[-1]
        failure = self._failures.get(endpoint)
        if failure is not None:
            code, times = failure
            if times is not None:
                failure[1] -= 1
                if failure[1] <= 0:
                    del self._failures[endpoint]
            return {"errcode": code, "errmsg": f"fake error {code}"}
        if endpoint == "token":
            token = f"FAKE_TOKEN_{len(self.issued) + 1}"
            self.issued.append(token)
            return {"access_token": token, "expires_in": 7200}
        if endpoint.startswith("webhook/"):
            return {"errcode": 0, "errmsg": "ok"}
        if query.get("access_token") not in self.issued:
            return {"errcode": 40001, "errmsg": "invalid credential"}
        if endpoint == "media/get" and query.get("media_id") not in self.media:
            return {"errcode": 40007, "errmsg": "invalid media_id"}
        if endpoint == "message/template/send":
            return {"errcode": 0, "errmsg": "ok", "msgid": len(self.requests)}
        return {"errcode": 0, "errmsg": "ok"}
