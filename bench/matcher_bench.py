"""Matcher speed: median/p95 ms per query and full rebuild time, on the real KB and a large one.

    python bench/matcher_bench.py --kb ../shared/eval/faq_kb.yaml --cases ../shared/eval/dev_queries.yaml \
        --large 5000
"""
from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from knowledge_base import index as kb_index  # noqa: E402
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


def time_rebuild(entries) -> tuple[float, float]:
    kb_index._TOKEN_CACHE.clear()
    normalize.cache_clear()
    t0 = time.perf_counter()
    m = Matcher(entries)
    cold = time.perf_counter() - t0
    t0 = time.perf_counter()
    m.rebuild(entries)
    return cold, time.perf_counter() - t0


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
    cold, warm = time_rebuild(entries)
    click.echo(f"{len(entries)} entries: median {med:.2f} ms, p95 {p95:.2f} ms per query; "
               f"rebuild cold {cold*1000:.0f} ms, warm {warm*1000:.0f} ms")
    if large:
        from make_large_kb import make_entries
        big = make_entries(large)
        cold, warm = time_rebuild(big)
        mb = Matcher(big)
        med, p95 = time_queries(mb, texts, rounds)
        click.echo(f"{large} entries: median {med:.2f} ms, p95 {p95:.2f} ms per query; "
                   f"rebuild cold {cold*1000:.0f} ms, warm {warm*1000:.0f} ms")


if __name__ == "__main__":
    main()
