"""Matcher speed: median/p95 ms per query and full rebuild time, on the real KB and a large one.

    python bench/matcher_bench.py --kb ../shared/eval/faq_kb.yaml --cases ../shared/eval/dev_queries.yaml \
        --large 5000
"""
from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from knowledge_base import index as kb_index  # noqa: E402
from knowledge_base import matcher as kb_matcher  # noqa: E402
from knowledge_base.evaluate import load_cases  # noqa: E402
from knowledge_base.loader import load_kb  # noqa: E402
from knowledge_base.matcher import Matcher  # noqa: E402
from knowledge_base.normalize import normalize  # noqa: E402


def time_queries(m: Matcher, texts: list[str], rounds: int) -> tuple[float, float]:
    for t in texts[:20]:
        m.match(t)  # warm caches
    ms = []
    for _ in range(rounds):
        for t in texts:
            t0 = time.perf_counter()
            m.match(t)
            ms.append((time.perf_counter() - t0) * 1000)
    ms.sort()
    return statistics.median(ms), ms[int(0.95 * (len(ms) - 1))]


def _clear_caches() -> None:
    kb_index._TOKEN_CACHE.clear()
    normalize.cache_clear()
    for fn in (kb_matcher._abbrev_items, kb_matcher._bigrams_cached, kb_matcher._word_pinyin):
        fn.cache_clear()


def time_rebuild(entries) -> tuple[float, float, float, float]:
    """(cold wall, cold cpu, warm wall, warm cpu) seconds; warm = re-save with caches filled."""
    _clear_caches()
    t0, c0 = time.perf_counter(), time.process_time()
    m = Matcher(entries)
    cold, cold_cpu = time.perf_counter() - t0, time.process_time() - c0
    t0, c0 = time.perf_counter(), time.process_time()
    m.rebuild(entries)
    return cold, cold_cpu, time.perf_counter() - t0, time.process_time() - c0


@click.command()
@click.option("--kb", default="knowledge_base/default_faq.yaml", show_default=True)
@click.option("--cases", default=None, help="cases YAML for realistic query texts")
@click.option("--large", default=5000, show_default=True, help="size of synthetic KB (0 = skip)")
@click.option("--rounds", default=3, show_default=True)
def main(kb: str, cases: str | None, large: int, rounds: int) -> None:
    entries = load_kb(kb)
    texts = [c["text"] for c in load_cases(cases)] if cases else [
        q for e in entries for q in e.alt_questions]
    m = Matcher(entries)
    med, p95 = time_queries(m, texts, rounds)
    click.echo(f"{len(entries)} entries: median {med:.2f} ms, p95 {p95:.2f} ms per query; "
               + _fmt(time_rebuild(entries)))
    if large:
        from make_large_kb import make_entries
        big = make_entries(large)
        reb = time_rebuild(big)
        mb = Matcher(big)
        med, p95 = time_queries(mb, texts, rounds)
        click.echo(f"{large} entries: median {med:.2f} ms, p95 {p95:.2f} ms per query; " + _fmt(reb))
    click.echo(f"(load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs)")


def _fmt(r) -> str:
    return (f"rebuild cold {r[0]*1000:.0f} ms (cpu {r[1]*1000:.0f}), "
            f"warm {r[2]*1000:.0f} ms (cpu {r[3]*1000:.0f})")


if __name__ == "__main__":
    main()
