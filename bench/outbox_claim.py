"""Cost of one outbox claim (urgent first, at most outbox.per_recipient rows per recipient) on a
large backlog: N pending rows, a few flooding recipients, some urgent; claims of 50 rows, marked sent.

Usage: .venv/bin/python bench/outbox_claim.py [--rows 20000] [--rounds 20] [--db sqlite|postgresql]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import insert, update  # noqa: E402

from bench.webhook_cost import bench_app  # noqa: E402
from bot.db import transaction  # noqa: E402
from bot.db.models import Outbox  # noqa: E402
from bot.outbox.dispatcher import claim  # noqa: E402


def fill(services, rows: int) -> None:
    """rows pending: a third from 5 flooding residents, the rest from distinct ones; 1 in 50 urgent."""
    now = services.clock.now()
    data = [{"created_at": now, "channel": "customer_service", "text": f"消息{i}", "payload": {},
             "recipient": f"o_flood_{i % 5}" if i % 3 == 0 else f"o_r_{i}", "status": "pending", "attempts": 0,
             "next_attempt_at": now, "priority": 1 if i % 50 == 0 else 0} for i in range(rows)]
    with transaction(services.session_factory) as s:
        for k in range(0, rows, 5000):
            s.execute(insert(Outbox), data[k:k + 5000])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--db", default="sqlite", choices=("sqlite", "postgresql"))
    args = parser.parse_args()
    with bench_app(args.db) as (_settings, services, _app, _sim):
        fill(services, args.rows)
        times, now = [], services.clock.now()
        for r in range(args.rounds):
            t0 = time.perf_counter()
            got = claim(services, now, 50, "bench")
            times.append((time.perf_counter() - t0) * 1e3)
            with transaction(services.session_factory) as s:
                s.execute(update(Outbox).where(Outbox.id.in_([d.id for d in got])).values(status="sent"))
            if r == 0:
                flood = sum(d.recipient.startswith("o_flood") for d in got)
                print(f"first claim: {len(got)} rows, the urgent ones first ({sum(d.id % 50 == 1 for d in got)}), "
                      f"{flood} from the 5 flooding residents (at most {services.settings.outbox.per_recipient} each)")
        print(f"claim of 50 from {args.rows} pending rows ({args.db}): median {statistics.median(times):.1f} ms, "
              f"max {max(times):.1f} ms over {args.rounds} rounds")


if __name__ == "__main__":
    main()
