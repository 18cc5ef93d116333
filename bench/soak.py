"""Soak: a steady, paced mix against the gunicorn + PostgreSQL deployment; worker memory over time.

    .venv/bin/python -m bench.soak --minutes 20 [--rate 60] [--workers 4] [--json soak.json]

Every --window seconds it prints messages so far, req/s, p99, errors and each worker's RSS (MB).
At the end: RSS after the first window vs the last, growth per 10,000 messages, and the goals
(<= 200 MB per worker, no growth). Paced (--rate) so a long soak does not starve a shared machine.
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
from bench.run import DEFAULT_MIX, calibrate, simulator, ticket_ids  # noqa: E402
from bench.workload import Mix  # noqa: E402
from bot.config import load_settings  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--minutes", type=float, default=2.0)
    p.add_argument("--rate", type=float, default=60.0, help="requests per second (all clients)")
    p.add_argument("--concurrency", type=int, default=8)
    p.add_argument("--workers", type=int, default=4)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--window", type=float, default=30.0, help="seconds between samples")
    p.add_argument("--mix", default=DEFAULT_MIX)
    p.add_argument("--preload", action="store_true", help="gunicorn -c bench/gunicorn_preload.py")
    p.add_argument("--json", type=Path)
    return p.parse_args(argv)


def sample(dep, total: int, res, t0: float) -> dict:
    pids = dep.apps[0].children()
    return {"t_s": round(time.monotonic() - t0), "messages": total, "rps": round(res.count / res.seconds, 1),
            "p99_ms": round(res.percentile(0.99), 1), "errors": res.error_count, "over_1s": res.slower_than(1),
            "spooled": sum(n for k, n in res.kinds.items() if k.endswith("->spooled")),
            "workers": {pid: round(servers.rss_mb(pid), 1) for pid in pids},
            "pss": {pid: round(servers.pss_mb(pid), 1) for pid in pids},
            "db_mb": _quietly(lambda: round(db_size_mb(dep.db), 1), None)}


def _quietly(fn, default):
    """A bench-side query that must not end the soak when the database is briefly away."""
    from sqlalchemy.exc import DBAPIError

    try:
        return fn()
    except DBAPIError as exc:
        print(f"(bench query failed, database away? {str(exc).splitlines()[0][:120]})", flush=True)
        return default


def db_size_mb(db) -> float:
    from sqlalchemy import text

    engine = db.engine()
    with engine.connect() as c:
        size = c.execute(text("SELECT pg_database_size(current_database())")).scalar()
    engine.dispose()
    return size / 2**20


def main(argv=None) -> int:
    args = parse_args(argv)
    dep = servers.deploy(args.workers, args.threads, schedulers=1, preload=args.preload)
    samples = []
    try:
        sim = simulator(dep.config)
        mix = Mix.parse(args.mix)
        mix.texts = calibrate(dep.apps[0].port, sim)
        mix.staff_ids = [s.open_id for s in load_settings(dep.config, env={}).staff if s.open_id][:3]
        t0, total, end = time.monotonic(), 0, time.monotonic() + args.minutes * 60
        while time.monotonic() < end:
            mix.ticket_ids = _quietly(lambda: ticket_ids(dep.db)[-200:], mix.ticket_ids) or [1]
            seconds = min(args.window, end - time.monotonic())
            res = LoadClient(dep.apps[0].port, sim, mix, args.concurrency, seconds, rate=args.rate,
                             seed=len(samples)).run()
            total += res.count
            samples.append(sample(dep, total, res, t0))
            print(json.dumps(samples[-1]), flush=True)
            if args.json:  # keep what we have even if the run is cut short
                args.json.write_text(json.dumps({"samples": samples, "partial": True}, indent=1))
    finally:
        dep.close()
    verdict(samples, args)
    return 0


def verdict(samples: list[dict], args) -> None:
    if not samples:
        return
    first, last = samples[0], samples[-1]
    common = set(first["workers"]) & set(last["workers"])
    growth = {pid: round(last["workers"][pid] - first["workers"][pid], 1) for pid in common}
    per10k = {pid: round(g * 10_000 / max(last["messages"] - first["messages"], 1), 2) for pid, g in growth.items()}
    peak = max(v for s in samples for v in s["workers"].values())
    peak_pss = max(v for s in samples for v in s["pss"].values())
    print(f"\nsoak {args.minutes} min at {args.rate}/s: {last['messages']} messages, "
          f"errors {sum(s['errors'] for s in samples)}, replies over 1 s {sum(s['over_1s'] for s in samples)}")
    print(f"worker RSS after the first window {first['workers']} -> at the end {last['workers']} MB; "
          f"growth {growth} MB ({per10k} MB per 10,000 messages); peak RSS {peak} MB, PSS {peak_pss} MB; "
          f"worker restarts: {len(set(last['workers']) - set(first['workers']))}")
    print(f"goal <= 200 MB RSS per worker: {'met' if peak <= 200 else 'MISSED'} "
          f"(PSS, shared pages divided among workers: {'met' if peak_pss <= 200 else 'MISSED'})")
    if args.json:
        args.json.write_text(json.dumps({"samples": samples, "growth_mb": growth, "peak_mb": peak, "peak_pss_mb": peak_pss, "preload": args.preload,
                                         "minutes": args.minutes, "rate": args.rate}, indent=1))


if __name__ == "__main__":
    sys.exit(main())
