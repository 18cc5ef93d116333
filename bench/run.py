"""The benchmark: Linli on gunicorn + PostgreSQL (+ scheduler process) against a bare reference server.

    .venv/bin/python -m bench.run [--seconds 10] [--workers 4] [--threads 2] [--json out.json]

Creates a fresh database, starts both servers on 127.0.0.1, calibrates the message pools, runs each
phase for --seconds, prints one table (figures and ratios to the reference) and the goals, tears down.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.client import LoadClient  # noqa: E402
from bench.workload import HANDOFF_CANDIDATES, MENU_CANDIDATES, Mix, classify, faq_candidates  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.wechat.simulate import WeChatServerSimulator, text_xml  # noqa: E402

DEFAULT_MIX = "answer=55,menu=15,handoff=15,staff=5,retry=10"


def simulator(config: Path) -> WeChatServerSimulator:
    wx = load_settings(config, env={}).wechat
    return WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, "safe")


def calibrate(port: int, sim: WeChatServerSimulator) -> dict[str, list[str]]:
    """Send every candidate once and keep the texts that take the intended path today."""
    import http.client

    pools: dict[str, list[str]] = {"answer": [], "menu": [], "handoff": []}
    candidates = [("answer", t) for t in faq_candidates()] + [("menu", t) for t in MENU_CANDIDATES] + \
                 [("handoff", t) for t in HANDOFF_CANDIDATES]
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for i, (kind, text) in enumerate(candidates):
        req = sim.sign(text_xml(f"o_calibrate_{i}", "gh_linli_bench", text, 9 * 10**17 + i))
        conn.request("POST", "/wechat?" + req.query, req.body.encode(), {"Content-Type": "text/xml"})
        resp = conn.getresponse()
        body = resp.read()
        if resp.status == 200 and classify(sim.read_reply(body, req)) == kind:
            pools[kind].append(text)
    conn.close()
    return pools


def ticket_ids(db: servers.Database) -> list[int]:
    from sqlalchemy import text

    engine = db.engine()
    with engine.connect() as c:
        ids = [r[0] for r in c.execute(text("SELECT id FROM tickets ORDER BY id"))]
    engine.dispose()
    return ids


def measure(name: str, proc: servers.Proc, client: LoadClient, db: servers.Database | None = None,
            schedulers=()) -> dict:
    """One bounded load phase with the server's (and PostgreSQL's) CPU time per request."""
    pg_pids = db.backend_pids() if db else []
    cpu0, pg0 = servers.server_cpu(proc), servers.cpu_seconds(pg_pids)
    sch0 = sum(servers.cpu_seconds([s.pid]) for s in schedulers)
    result = client.run()
    time.sleep(0.3)  # let the last worker tick be accounted
    cpu = servers.server_cpu(proc) - cpu0
    row = {"phase": name, "concurrency": client.concurrency, **result.summary()}
    row["cpu_ms_per_req"] = round(cpu * 1000 / max(result.count, 1), 3)
    if db is not None:
        pg_now = servers.cpu_seconds(db.backend_pids())  # new backends: count from zero
        row["pg_cpu_ms_per_req"] = round(max(pg_now - pg0, 0) * 1000 / max(result.count, 1), 3)
    row["scheduler_cpu_s"] = round(sum(servers.cpu_seconds([s.pid]) for s in schedulers) - sch0, 2)
    print(f"  {name:<14} c={client.concurrency:<3} {row['requests']:>6} req {row['rps']:>7}/s "
          f"p50 {row['p50_ms']:>6} p99 {row['p99_ms']:>7} p99.9 {row['p999_ms']:>7} ms  "
          f"cpu {row['cpu_ms_per_req']} ms/req  errors {row['errors']}", flush=True)
    return row


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--seconds", type=float, default=10, help="length of each phase (bounded)")
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--concurrency", default="8,32", help="client counts for the mixed phases")
    p.add_argument("--mix", default=DEFAULT_MIX)
    p.add_argument("--no-scheduler", action="store_true")
    p.add_argument("--preload", action="store_true", help="gunicorn -c bench/gunicorn_preload.py (shared dictionaries)")
    p.add_argument("--json", type=Path, help="write every figure here")
    return p.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    levels = [int(c) for c in args.concurrency.split(",")]
    dep = servers.deploy(args.workers, args.threads, schedulers=0 if args.no_scheduler else 1, preload=args.preload)
    ref = None
    try:
        ref = servers.start_gunicorn("bench.reference_app:app", dep.config, args.workers, args.threads,
                                     log_dir=dep.workdir, name="reference", preload=args.preload)
        rows = run_phases(args, dep, ref, levels)
    finally:
        if ref is not None:
            ref.stop()
        workers = dep.apps[0].children() if dep.apps else []
        rss = {"rss_mb": [round(servers.rss_mb(pid), 1) for pid in workers],
               "pss_mb": [round(servers.pss_mb(pid), 1) for pid in workers]}
        dep.close()
    report(rows, rss, args, dep)
    return 0


def run_phases(args, dep, ref, levels) -> list[dict]:
    sim, app = simulator(dep.config), dep.apps[0]
    pools = calibrate(app.port, sim)
    print(f"calibrated pools: { {k: len(v) for k, v in pools.items()} }; "
          f"scheduler: {'running' if dep.schedulers else 'not running'}", flush=True)
    staff = [s.open_id for s in load_settings(dep.config, env={}).staff if s.open_id][:3]
    mix = Mix.parse(args.mix)
    mix.texts, mix.staff_ids, mix.ticket_ids = pools, staff, ticket_ids(dep.db)
    only = lambda kind: Mix({kind: 1}, pools, staff, mix.ticket_ids)  # noqa: E731
    c0, s = levels[0], args.seconds
    rows = [measure("reference", ref, LoadClient(ref.port, sim, only("answer"), c0, s, expect_reference=True))]
    rows.append(measure("faq-answer", app, LoadClient(app.port, sim, only("answer"), c0, s), dep.db, dep.schedulers))
    rows.append(measure("hand-off", app, LoadClient(app.port, sim, only("handoff"), c0, s), dep.db, dep.schedulers))
    mix.ticket_ids = ticket_ids(dep.db)
    for c in levels:
        rows.append(measure("reference", ref, LoadClient(ref.port, sim, only("answer"), c, s,
                                                         expect_reference=True))) if c != c0 else None
        rows.append(measure("mix", app, LoadClient(app.port, sim, mix, c, s), dep.db, dep.schedulers))
    return rows


def report(rows: list[dict], rss: list[float], args, dep) -> None:
    ref = next(r for r in rows if r["phase"] == "reference")
    print("\n| phase | clients | requests | req/s | p50 ms | p99 ms | p99.9 ms | max ms | >1 s | >5 s | errors "
          "| CPU ms/req (gunicorn) | × reference | PG CPU ms/req |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        ratio = r["cpu_ms_per_req"] / ref["cpu_ms_per_req"] if ref["cpu_ms_per_req"] else float("nan")
        print(f"| {r['phase']} | {r['concurrency']} | {r['requests']} | {r['rps']} | {r['p50_ms']} | {r['p99_ms']} "
              f"| {r['p999_ms']} | {r['max_ms']} | {r['over_1s']} | {r['over_5s']} | {r['errors']} "
              f"| {r['cpu_ms_per_req']} | {ratio:.2f} | {r.get('pg_cpu_ms_per_req', '-')} |")
    print(f"\nworkers at the end (MB): RSS {rss['rss_mb']}, PSS {rss['pss_mb']}")
    for r in rows:
        if r["errors"] or r["phase"] != "reference":
            print(f"{r['phase']} c={r['concurrency']}: kinds {r['kinds']} errors {r['error_kinds']} {r['examples'][:3]}")
    if args.json:
        args.json.write_text(json.dumps({"rows": rows, "rss_mb": rss, "workers": args.workers,
                                         "threads": args.threads, "seconds": args.seconds, "preload": args.preload,
                                         "scheduler": bool(dep.schedulers)}, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    sys.exit(main())
