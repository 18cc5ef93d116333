"""Profile one FAQ answer and one hand-off through Flask's test client (cProfile, PostgreSQL, safe mode).

    .venv/bin/python -m bench.profile_paths [-n 200] [--top 15]

For each path: wall and CPU ms per request, own CPU time grouped by area (matcher, database, crypto,
Flask...), and the top functions by cumulative time. The database is fresh and dropped afterwards.
"""
from __future__ import annotations

import argparse
import cProfile
import itertools
import pstats
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench import servers  # noqa: E402
from bench.workload import HANDOFF_CANDIDATES, classify  # noqa: E402
from bot.app import create_app  # noqa: E402
from bot.config import load_settings  # noqa: E402
from bot.services import build_services  # noqa: E402
from bot.wechat.simulate import WeChatServerSimulator, text_xml  # noqa: E402

PATHS = {"faq-answer": ("answer", ["新生儿怎么上户口？", "暖气不热找谁", "充电桩怎么装"]),
         "hand-off": ("handoff", HANDOFF_CANDIDATES)}
AREAS = [("knowledge_base/", "FAQ matcher"), ("jieba", "FAQ matcher"), ("rapidfuzz", "FAQ matcher"),
         ("pypinyin", "FAQ matcher"), ("opencc", "FAQ matcher"), ("numpy", "FAQ matcher"),
         ("psycopg", "database driver"), ("sqlalchemy", "SQLAlchemy ORM/core"),
         ("wechatpy", "WeChat crypto/XML"), ("cryptography", "WeChat crypto/XML"), ("xmltodict", "WeChat crypto/XML"),
         ("defusedxml", "WeChat crypto/XML"), ("xml/", "WeChat crypto/XML"), ("werkzeug", "Flask/Werkzeug"),
         ("flask", "Flask/Werkzeug"), ("handlers/", "handlers"), ("bot/", "bot (pipeline, tickets, outbox)"),
         ("logging", "logging")]
_ids = itertools.count(5 * 10**17)


def area(filename: str) -> str:
    return next((name for key, name in AREAS if key in filename), "other (stdlib, builtins)")


def post(client, sim, text: str, open_id: str) -> str:
    req = sim.sign(text_xml(open_id, "gh_profile", text, next(_ids)))
    resp = client.post("/wechat", query_string=req.params, data=req.body.encode())
    assert resp.status_code == 200, resp.status_code
    return classify(sim.read_reply(resp.data, req))


def measure_plain(client, sim, texts, n: int) -> tuple[float, dict]:
    """CPU ms per request without the profiler, and the SQL statements per request by kind."""
    from sqlalchemy import event

    engine = client.application.extensions["linli"].engine
    counts: dict[str, int] = defaultdict(int)

    def count(conn, cursor, statement, *_):
        counts[statement.split(None, 1)[0].upper()] += 1

    event.listen(engine, "before_cursor_execute", count)
    rng = random.Random(5)
    cpu0 = time.process_time()
    for i in range(n):
        post(client, sim, rng.choice(texts), f"o_plain_{id(texts)}_{i}")
    cpu = (time.process_time() - cpu0) * 1000 / n
    event.remove(engine, "before_cursor_execute", count)
    return cpu, {k: round(v / n, 1) for k, v in sorted(counts.items(), key=lambda kv: -kv[1])}


def profile_path(client, sim, name: str, n: int, top: int) -> None:
    want, texts = PATHS[name]
    texts = [t for t in texts if post(client, sim, t, f"o_probe_{t}") == want] or texts  # today's matcher
    rng = random.Random(3)
    for i in range(20):  # warm-up: matcher built, connections pooled
        post(client, sim, rng.choice(texts), f"o_warm_{name}_{i}")
    plain_cpu, statements = measure_plain(client, sim, texts, n)
    prof = cProfile.Profile(time.process_time)  # CPU time, not wall: waiting for PostgreSQL is not cost here
    got = defaultdict(int)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    prof.enable()
    for i in range(n):
        got[post(client, sim, rng.choice(texts), f"o_prof_{name}_{i}")] += 1
    prof.disable()
    wall, cpu = (time.perf_counter() - wall0) * 1000 / n, (time.process_time() - cpu0) * 1000 / n
    print(f"\n## {name}: {n} requests, replies {dict(got)}")
    print(f"without profiler: {plain_cpu:.2f} ms CPU per request (client signing/decryption included); "
          f"SQL per request: {statements}")
    print(f"under cProfile: {wall:.2f} ms wall, {cpu:.2f} ms CPU per request (profiler overhead included); "
          f"the table below is CPU time of this process (PostgreSQL's own CPU is not in it)")
    stats = pstats.Stats(prof)
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _, _), (_, _, tottime, _, _) in stats.stats.items():
        by_area[area(filename)] += tottime
    total = sum(by_area.values())
    print("| area | ms/request | share |\n|---|---|---|")
    for name_, t in sorted(by_area.items(), key=lambda kv: -kv[1]):
        print(f"| {name_} | {t * 1000 / n:.2f} | {t / total:.0%} |")
    print("\nLinli's own functions by cumulative CPU time (what each step costs, callees included):")
    stats.sort_stats("cumulative").print_stats(r"/(handlers|bot|knowledge_base)/", top)
    if got.get(want, 0) < n * 0.9:
        print(f"WARNING: only {got.get(want, 0)} of {n} took the {want} path")


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("-n", type=int, default=200)
    p.add_argument("--top", type=int, default=15)
    args = p.parse_args(argv)
    db = servers.Database(prefix="linli_profile")
    try:
        config = servers.bench_config(db.url, tempfile.mkdtemp(prefix="linli-profile-"))
        settings = load_settings(config, env={})
        services = build_services(settings)
        client = create_app(settings, services).test_client()
        wx = settings.wechat
        sim = WeChatServerSimulator(wx.token, wx.aes_key, wx.appid, "safe")
        for name in PATHS:
            profile_path(client, sim, name, args.n, args.top)
        services.engine.dispose()
    finally:
        db.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
