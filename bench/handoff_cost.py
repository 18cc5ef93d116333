"""In-process webhook cost of a hand-off: a resident question the FAQ cannot answer becomes a ticket.

Each request is a safe-mode (encrypted) text from a new resident through Flask's test client: signature
and timestamp check, decrypt, parse, dedupe row, resident row, staff/self-service/urgent/thread checks,
the FAQ matcher (hand-off), routing, least-loaded assignment, the ticket and its events, the staff
notification queued in the outbox, the acknowledgement encrypted — one transaction, committed.
Every reply is checked to be a ticket acknowledgement. The outbox dispatcher is NOT on this path.

Usage: .venv/bin/python bench/handoff_cost.py [-n 1000] [--db sqlite|postgresql]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.webhook_cost import bench_app  # noqa: E402
from bot.wechat.simulate import text_xml  # noqa: E402

# Handed off by the FAQ's guards (a personal case / a complaint), so the path is stable as the KB evolves.
HANDOFFS = ["我的低保申请怎么样了", "我家的居住证明办好了吗", "物业到现在都没人管", "我上个月交的材料审核了没"]


def measure(app, sim, n: int, start: int) -> list[float]:
    """n hand-offs from n new residents; µs per request."""
    client = app.test_client()
    times = []
    for i in range(start, start + n):
        xml = text_xml(f"o_handoff_{i}", "gh_bench", HANDOFFS[i % len(HANDOFFS)], 2 * 10**9 + i)
        req = sim.sign(xml)
        t0 = time.perf_counter()
        resp = client.post("/wechat", query_string=req.params, data=req.body)
        times.append((time.perf_counter() - t0) * 1e6)
        assert resp.status_code == 200, resp.data
        reply = sim.read_reply(resp.data, req)
        assert reply and "工单#" in reply, reply
    return times


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = ap.parse_args()
    with bench_app(args.db) as (_settings, _services, app, sim):
        measure(app, sim, 50, 0)  # warm-up: matcher build, jieba dictionary, connections
        times = sorted(measure(app, sim, args.n, 50))
    print(f"hand-off (new resident -> ticket #, staff notice queued), safe mode, Flask test client, "
          f"database {args.db}")
    print(f"n={len(times)}  median {statistics.median(times):8.0f} µs   p90 {times[int(len(times) * .9)]:8.0f} µs"
          f"   p99 {times[int(len(times) * .99)]:8.0f} µs   max {times[-1]:8.0f} µs")


if __name__ == "__main__":
    main()
