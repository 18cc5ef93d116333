"""The load generator: N keep-alive client threads speaking signed, safe-mode encrypted WeChat XML.

Every reply is checked: HTTP 200, signature verified, decrypted, classified (bench.workload.classify),
and a retry of a MsgId must get the same reply as its first delivery.
"""
from __future__ import annotations

import collections
import http.client
import itertools
import random
import threading
import time
from dataclasses import dataclass, field

from bench.workload import Mix, classify
from bot.wechat.simulate import WeChatServerSimulator, text_xml

ACCOUNT = "gh_linli_bench"
_msg_ids = itertools.count(random.SystemRandom().randrange(10**15, 2 * 10**15))


@dataclass
class Result:
    """What one load run saw."""

    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    kinds: collections.Counter = field(default_factory=collections.Counter)  # "intended->got"
    errors: collections.Counter = field(default_factory=collections.Counter)
    examples: list[str] = field(default_factory=list)
    slow: list[tuple[float, float, str]] = field(default_factory=list)  # (t_end, seconds, what) over 1 s
    sent: list[tuple[str, str, str, float]] = field(default_factory=list)  # (msg_key, kind, got, t) per 200

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def error_count(self) -> int:
        return sum(self.errors.values())

    def percentile(self, q: float) -> float:
        """Latency percentile in milliseconds (q in 0..1)."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000

    def slower_than(self, seconds: float) -> int:
        return sum(1 for x in self.latencies if x > seconds)

    def summary(self) -> dict:
        return {"requests": self.count, "seconds": round(self.seconds, 2),
                "rps": round(self.count / self.seconds, 1) if self.seconds else 0,
                "p50_ms": round(self.percentile(0.5), 1), "p99_ms": round(self.percentile(0.99), 1),
                "p999_ms": round(self.percentile(0.999), 1), "max_ms": round(self.percentile(1.0), 1),
                "errors": self.error_count, "over_1s": self.slower_than(1), "over_5s": self.slower_than(5),
                "kinds": dict(self.kinds), "error_kinds": dict(self.errors), "examples": self.examples[:5]}


class LoadClient:
    """Closed-loop load: each thread sends its next message as soon as the previous reply is checked."""

    def __init__(self, port: int, sim: WeChatServerSimulator, mix: Mix, concurrency: int,
                 seconds: float, max_requests: int | None = None, seed: int = 7, host: str = "127.0.0.1",
                 expect_reference: bool = False, rate: float | None = None):
        self.host, self.port, self.sim, self.mix = host, port, sim, mix
        self.concurrency, self.seconds, self.max_requests = concurrency, seconds, max_requests
        self.rng = random.Random(seed)
        self.expect_reference = expect_reference  # the echo server: any non-empty reply is right
        self.result = Result()
        self.interval = concurrency / rate if rate else 0.0  # per-thread pacing for soak runs
        self._lock = threading.Lock()
        self._issued = 0
        self._recent: collections.deque = collections.deque(maxlen=500)  # (xml, first reply)

    def run(self) -> Result:
        deadline = time.monotonic() + self.seconds
        threads = [threading.Thread(target=self._worker, args=(deadline, i), daemon=True)
                   for i in range(self.concurrency)]
        start = time.monotonic()
        for t in threads:
            t.start()
        for t in threads:
            t.join(self.seconds + 30)
        self.result.seconds = time.monotonic() - start
        return self.result

    def _take_ticket(self) -> int | None:
        with self._lock:
            if self.max_requests is not None and self._issued >= self.max_requests:
                return None
            self._issued += 1
            return self._issued

    def _worker(self, deadline: float, index: int) -> None:
        rng = random.Random(self.rng.random() + index)
        conn = http.client.HTTPConnection(self.host, self.port, timeout=30)
        next_at = time.monotonic() + rng.random() * self.interval
        while time.monotonic() < deadline:
            if self.interval:
                time.sleep(max(0.0, next_at - time.monotonic()))
                next_at += self.interval
            seq = self._take_ticket()
            if seq is None:
                break
            xml, kind, expected = self._next(rng, seq)
            conn = self._exchange(conn, xml, kind, expected)
        conn.close()

    def _next(self, rng: random.Random, seq: int) -> tuple[str, str, str | None]:
        kind = self.mix.pick(rng)
        if kind == "retry":
            with self._lock:
                if self._recent:
                    xml, first = rng.choice(self._recent)
                    return xml, "retry", first
            kind = "answer" if self.mix.texts.get("answer") else next(iter(self.mix.texts))
        open_id, text = self.mix.message(kind, rng, seq)
        return text_xml(open_id, ACCOUNT, text, next(_msg_ids)), kind, None

    def _exchange(self, conn, xml: str, kind: str, expected: str | None):
        req = self.sim.sign(xml)
        path = "/wechat?" + req.query
        body = req.body.encode("utf-8")
        t0 = time.monotonic()
        try:
            conn.request("POST", path, body, {"Content-Type": "text/xml"})
            resp = conn.getresponse()
            data = resp.read()
        except (OSError, http.client.HTTPException) as exc:
            self._error("connection", f"{type(exc).__name__}: {exc}", time.monotonic() - t0)
            conn.close()
            return http.client.HTTPConnection(self.host, self.port, timeout=30)
        elapsed = time.monotonic() - t0
        if elapsed > 1:
            with self._lock:
                self.result.slow.append((time.monotonic(), elapsed, kind))
        self._check(resp.status, data, req, xml, kind, expected, elapsed)
        return conn

    def _check(self, status, data, req, xml, kind, expected, elapsed) -> None:
        if status != 200:
            return self._error(f"http_{status}", data[:120].decode(errors="replace"), elapsed)
        try:
            reply = self.sim.read_reply(data, req)
        except Exception as exc:  # a reply that does not verify or decrypt is an error, whatever it says
            return self._error("bad_reply", f"{type(exc).__name__}: {exc}", elapsed)
        got = "echo" if self.expect_reference and reply else classify(reply, staff=kind == "staff")
        if got == "apology":
            return self._error("apology", reply[:80], elapsed)
        if kind == "retry" and reply != expected and got != "spooled":
            return self._error("retry_mismatch", f"{expected!r:.60} != {reply!r:.60}", elapsed)
        with self._lock:
            self.result.latencies.append(elapsed)
            self.result.kinds[f"{kind}->{got}"] += 1
            self.result.sent.append((_msg_key(xml), kind, got, time.monotonic()))
            if kind != "retry" and got != "spooled":
                self._recent.append((xml, reply))

    def _error(self, what: str, detail: str, elapsed: float) -> None:
        with self._lock:
            self.result.latencies.append(elapsed)
            self.result.errors[what] += 1
            if len(self.result.examples) < 20:
                self.result.examples.append(f"{what}: {detail}")


def _msg_key(xml: str) -> str:
    start = xml.index("<MsgId>") + len("<MsgId>")
    return "msg:" + xml[start:xml.index("</MsgId>")]
