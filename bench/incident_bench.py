"""Incident benchmark: 2,000 reports of one event against gunicorn on PostgreSQL, then one update
to all 2,000 residents, dispatched to a fake WeChat API on 127.0.0.1.

    .venv/bin/python bench/incident_bench.py [--reports 2000] [--seconds 60] [--workers 2] [--threads 4]
                                             [--per-minute 3000] [--json out.json]

The issue's scenario is 2,000 reports in 10 minutes; by default the replay is compressed to 60 s
(10x faster arrival, a harder test of the webhook) to keep the runtime modest on a shared machine.
Prints: reply latencies (every reply must be within 1 s), how the webhook answered (ticket,
proposal/notice, incident update), the staff messages before the confirmation, the time the
confirming request took (it queues the whole broadcast in its own transaction), and the pacing of
the dispatch (sends per second to the fake API, per-resident counts).
"""
from __future__ import annotations

import argparse
import collections
import http.client
import json
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.wechat.simulate import WeChatServerSimulator, text_xml  # noqa: E402

ACCOUNT = "gh_linli_bench"
# Reports of one outage. Left out on purpose: "怎么没水了？", "又停水了？？" and "家里没水了", which the safety guard in
# the tree on 2026-12-01 (issue 10, work in progress) classed as urgent / caution: emergencies go first,
# so those become urgent tickets however many there are (reported to the lead as a guard problem).
TEXTS = ["5号楼停水了", "5号楼是不是停水了", "家里水龙头不出水", "几点来水啊", "5号楼没水了，啥时候恢复",
         "我们楼停水了吗", "停水了吗", "5号楼怎么又没水了", "家里停水了吗", "5号楼停水到几点"]
STAFF = "o_demo_staff_wangfang"


def post(conn, sim, open_id: str, text: str, msg_id: int) -> tuple[float, str | None, int]:
    req = sim.sign(text_xml(open_id, ACCOUNT, text, msg_id))
    t0 = time.monotonic()
    conn.request("POST", "/wechat?" + req.query, req.body.encode(), {"Content-Type": "text/xml"})
    resp = conn.getresponse()
    data = resp.read()
    elapsed = time.monotonic() - t0
    return elapsed, (sim.read_reply(data, req) if resp.status == 200 else None), resp.status


def warm(port: int, sim, n: int) -> None:
    """Every worker builds its FAQ matcher before the storm (as after any deployment's first minutes)."""
    def one(i: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)  # a connection each: all workers
        post(conn, sim, f"o_warm_{i}", "社区服务大厅几点开门", 7_000_000 + i)
        conn.close()

    pool = [threading.Thread(target=one, args=(i,)) for i in range(n)]
    [t.start() for t in pool]
    [t.join() for t in pool]


def classify(reply: str | None) -> str:
    if not reply:
        return "empty"
    for key, label in (("【社区通报", "incident_update"), ("多位居民反映", "grouped_notice"), ("工单#", "ticket"),
                       ("抱歉", "apology"), ("已收到", "spooled")):
        if key in reply:
            return label
    return "other"


def replay(port: int, sim, reports: int, seconds: float, threads: int) -> dict:
    """Paced arrivals from distinct residents; every reply timed and classified."""
    lat, kinds, errors, lock = [], collections.Counter(), collections.Counter(), threading.Lock()
    start, interval = time.monotonic(), seconds / reports

    def worker(k: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in range(k, reports, threads):
            time.sleep(max(0.0, start + i * interval - time.monotonic()))
            try:
                elapsed, reply, status = post(conn, sim, f"o_bench_{i:05d}", TEXTS[i % len(TEXTS)], 8_000_000 + i)
            except (OSError, http.client.HTTPException) as exc:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                with lock:
                    errors[type(exc).__name__] += 1
                continue
            with lock:
                lat.append(elapsed)
                kinds[classify(reply) if status == 200 else f"http_{status}"] += 1
        conn.close()

    pool = [threading.Thread(target=worker, args=(k,)) for k in range(threads)]
    [t.start() for t in pool]
    [t.join() for t in pool]
    lat.sort()
    pct = lambda q: round(lat[min(len(lat) - 1, int(q * len(lat)))] * 1000, 1)  # noqa: E731
    return {"reports": reports, "seconds": round(time.monotonic() - start, 1), "p50_ms": pct(0.5),
            "p99_ms": pct(0.99), "max_ms": pct(1.0), "over_1s": sum(x > 1 for x in lat),
            "replies": dict(kinds), "errors": dict(errors)}


def dispatch(config: Path, fake, db, per_round: int = 200) -> dict:
    """The outbox dispatcher (as the scheduler runs it) until every resident row is sent; sends per second."""
    from bot.outbox.dispatcher import dispatch_due
    from bot.services import build_services

    services = build_services(load_settings(config, env={}), migrate=False)
    start, sent, samples, done = time.monotonic(), 0, [], threading.Event()

    def watch() -> None:  # what the fake WeChat API received, sampled 4 times a second
        while not done.is_set():
            samples.append((time.monotonic() - start, len(fake.calls("message/custom/send"))))
            time.sleep(0.25)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    while time.monotonic() - start < 900:
        n = dispatch_due(services, limit=per_round)
        sent += n
        if not n and not _waiting(db):
            break
        time.sleep(0.2 if n else 0.5)
    done.set()
    watcher.join()
    services.engine.dispose()
    per_second = _rates(samples)
    counts = collections.Counter(r.body["touser"] for r in fake.calls("message/custom/send")
                                 if r.ok and r.body["touser"].startswith("o_bench_"))
    return {"sent": sent, "seconds": round(time.monotonic() - start, 1), **per_second,
            "residents_reached": len(counts), "messages_per_resident": dict(collections.Counter(counts.values()))}


def _rates(samples: list[tuple[float, int]]) -> dict:
    """Highest number of sends within any 1-second window, and the mean rate while sending."""
    if len(samples) < 2:
        return {"max_in_any_second": 0, "mean_per_second": 0}
    peak, j = 0, 0
    for i, (t, count) in enumerate(samples):
        while samples[j][0] < t - 1.0:
            j += 1
        peak = max(peak, count - samples[j][1])
    moving = [t for (t, c), (_, c0) in zip(samples[1:], samples) if c > c0]
    span = (moving[-1] - moving[0] + 0.25) if moving else 0
    total = samples[-1][1] - samples[0][1]
    return {"max_in_any_second": peak, "mean_per_second": round(total / span, 1) if span else 0,
            "sending_seconds": round(span, 1)}


def _waiting(db) -> int:
    """Rows to residents the dispatcher still has to send (paced rows not yet due included)."""
    from sqlalchemy import text

    with db.engine().connect() as c:
        return c.execute(text("SELECT count(*) FROM outbox WHERE recipient LIKE 'o_bench_%' "
                              "AND status IN ('pending', 'sending', 'failed') AND attempts < 8")).scalar()


def staff_says(port: int, sim, text: str, msg_id: int) -> dict:
    """One staff command on a fresh connection (a WeChat retry with the same MsgId if it fails)."""
    for attempt in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            elapsed, reply, status = post(conn, sim, STAFF, text, msg_id)
            return {"ms": round(elapsed * 1000, 1), "status": status, "reply": reply, "attempt": attempt + 1}
        except (OSError, http.client.HTTPException) as exc:
            print(f"staff command attempt {attempt + 1} failed: {exc!r}", file=sys.stderr, flush=True)
        finally:
            conn.close()
    return {"error": "no answer after 3 attempts"}


def staff_before(db) -> dict:
    from sqlalchemy import text

    with db.engine().connect() as c:
        rows = c.execute(text("SELECT recipient, count(*) FROM outbox WHERE recipient LIKE 'o_demo_staff_%' "
                              "GROUP BY recipient")).all()
        tickets = c.execute(text("SELECT count(*) FROM tickets")).scalar()
    return {"staff_messages": dict(rows), "tickets": tickets}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--reports", type=int, default=2000)
    ap.add_argument("--seconds", type=float, default=60.0)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--threads", type=int, default=4)
    ap.add_argument("--clients", type=int, default=16)
    ap.add_argument("--per-minute", type=int, default=3000, help="incidents.broadcast_per_minute")
    ap.add_argument("--json")
    args = ap.parse_args()
    from tests.support.fakes.fake_wechat import FakeWeChat

    fake, db, work = FakeWeChat().start(), servers.Database(), tempfile.mkdtemp(prefix="linli-incident-bench-")
    app = None
    try:
        config = servers.bench_config(db.url, work, **{
            "desk.on_duty": ["王芳", "李娜"], "outbox.transport": "wechat", "wechat.api_base_url": fake.base_url,
            "incidents.broadcast_per_minute": args.per_minute})
        servers.prepare(config)
        app = servers.start_gunicorn("bot.wsgi:app", config, workers=args.workers, threads=args.threads, log_dir=work)
        wx = load_settings(config, env={}).wechat
        sim = WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, "safe")
        warm(app.port, sim, args.workers * args.threads * 2)
        out = {"replay": replay(app.port, sim, args.reports, args.seconds, args.clients), "before_confirm": staff_before(db)}
        print(json.dumps(out, ensure_ascii=False), file=sys.stderr, flush=True)
        out["confirm"] = staff_says(app.port, sim, "通报 #I1 5号楼主管道爆裂，自来水公司正在抢修，预计18:00恢复", 9_000_001)
        out["dispatch"] = dispatch(config, fake, db)
        out["update"] = staff_says(app.port, sim, "通报 #I1 预计推迟到20:00", 9_000_002)
        out["dispatch_update"] = dispatch(config, fake, db)
        out["pacing"] = {"broadcast_per_minute": args.per_minute, "note": "rows spread by next_attempt_at; "
                         "WeChat: 48-hour window, 5 customer-service messages per window per resident"}
        print(json.dumps(out, ensure_ascii=False, indent=1))
        if args.json:
            Path(args.json).write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")
    finally:
        if app is not None:
            app.stop()
        db.close()
        fake.stop()


if __name__ == "__main__":
    main()
