"""In-process cost of one safe-mode text message through Flask's test client.

Prints the median and p90 microseconds per request over N requests (unique MsgIds), for
  edge      — signature + timestamp check, decrypt, parse, encrypt the reply (pipeline replaced by a no-op)
  pipeline  — the full bot: dedupe row, resident, handlers (FAQ matcher…), reply, commit
Usage: .venv/bin/python bench/webhook_cost.py [-n 1000] [--db sqlite|postgresql]
"""
from __future__ import annotations

import argparse
from contextlib import contextmanager
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bot.app import create_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.domain import Reply  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.wechat.simulate import WeChatServerSimulator, text_xml  # noqa: E402

QUESTIONS = ["社区服务大厅几点开门", "低保怎么申请", "暖气不热找谁", "怎么开居住证明", "老年卡怎么办",
             "我家楼上漏水到我家了怎么办", "请问疫苗在哪里打", "充电桩怎么装", "你好", "谢谢"]


def _db_url(kind: str) -> tuple[str, callable]:
    if kind == "sqlite":
        return f"sqlite:///{tempfile.mkdtemp()}/bench.db", lambda: None
    from sqlalchemy import create_engine, text

    name = f"linli_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine("postgresql+psycopg://postgres@127.0.0.1/test", isolation_level="AUTOCOMMIT")
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    return f"postgresql+psycopg://postgres@127.0.0.1/{name}", drop


@contextmanager
def bench_app(db: str):
    """(settings, services, app, simulator) on a fresh database of kind `db`, dropped afterwards."""
    url, drop = _db_url(db)
    try:
        settings = load_settings(env={})
        settings.database.url = url
        services = build_services(settings)
        wx = settings.wechat
        yield settings, services, create_app(settings, services), WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, "safe")
        services.engine.dispose()
    finally:
        drop()


def measure(app, sim, n: int, open_ids: int = 200) -> list[float]:
    client = app.test_client()
    times = []
    for i in range(n):
        xml = text_xml(f"o_bench_{i % open_ids}", "gh_bench", QUESTIONS[i % len(QUESTIONS)], 10**9 + i)
        req = sim.sign(xml)
        t0 = time.perf_counter()
        resp = client.post("/wechat", query_string=req.params, data=req.body)
        times.append((time.perf_counter() - t0) * 1e6)
        assert resp.status_code == 200, resp.data
    return times


def report(label: str, times: list[float]) -> None:
    times = sorted(times)
    print(f"{label:<9} n={len(times)}  median {statistics.median(times):8.0f} µs   "
          f"p90 {times[int(len(times) * .9)]:8.0f} µs")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("-n", type=int, default=1000)
    ap.add_argument("--db", choices=["sqlite", "postgresql"], default="sqlite")
    args = ap.parse_args()
    with bench_app(args.db) as (settings, services, app, sim):
        measure(app, sim, 50)  # warm-up: matcher build, jieba dictionary, connections
        full = measure(app, sim, args.n)
        services.pipeline.process = lambda msg: Reply("收到")
        edge = measure(create_app(settings, services), sim, args.n)
    print(f"safe-mode text message through Flask's test client, database {args.db}")
    report("edge", edge)
    report("pipeline", full)
    print(f"pipeline/edge median ratio {statistics.median(full) / statistics.median(edge):.1f}x")


if __name__ == "__main__":
    main()
