"""Per-worker memory with the sentence model shared: gunicorn --preload on a fresh PostgreSQL
database, N workers, then `--seconds` of mixed signed safe-mode traffic through them (answers,
menus, hand-offs), then PSS and RSS per process.

    .venv/bin/python bench/worker_memory.py [--workers 4]
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import click

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.client import LoadClient  # noqa: E402
from bench.run import calibrate, simulator  # noqa: E402
from bench.servers import deploy, pss_mb, rss_mb  # noqa: E402
from bench.workload import Mix  # noqa: E402


@click.command()
@click.option("--workers", default=4, show_default=True)
@click.option("--seconds", default=20.0, show_default=True)
def main(workers: int, seconds: float) -> None:
    t0 = time.perf_counter()
    dep = deploy(workers=workers, threads=2, schedulers=0, preload=True)
    try:
        ready = time.perf_counter() - t0
        app = dep.apps[0]
        sim = simulator(dep.config)
        mix = Mix.parse("answer=60,menu=20,handoff=20")
        mix.texts = calibrate(app.port, sim)
        res = LoadClient(app.port, sim, mix, concurrency=workers * 2, seconds=seconds).run()
        click.echo(f"traffic: {res.count} messages in {res.seconds:.0f} s, {res.error_count} errors")
        kids = app.children()
        click.echo(f"gunicorn --preload, {workers} workers ready in {ready:.1f} s (database created, "
                   "migrated, FAQ index and model loaded in the master)")
        click.echo(f"master  pid {app.pid}: PSS {pss_mb(app.pid):6.1f} MB, RSS {rss_mb(app.pid):6.1f} MB")
        for pid in kids:
            click.echo(f"worker  pid {pid}: PSS {pss_mb(pid):6.1f} MB, RSS {rss_mb(pid):6.1f} MB")
    finally:
        dep.close()


if __name__ == "__main__":
    main()
