"""Fault tests run the real deployment: gunicorn workers and instances on PostgreSQL, scheduler processes.

LINLI_FAULT_SCALE (default 1) multiplies message counts and load durations: the default run is short
enough for CI; `LINLI_FAULT_SCALE=5 pytest -m slow tests/faults` is the full run.
"""
from __future__ import annotations

import os

import pytest

from tests.conftest import BACKENDS

SCALE = max(float(os.environ.get("LINLI_FAULT_SCALE", "1")), 0.5)


def scaled(n: float) -> int:
    return max(1, int(n * SCALE))


@pytest.fixture
def deploy():
    """deploy(**kw) -> bench.servers.Deployment; everything it started is stopped afterwards."""
    if "postgresql" not in BACKENDS:
        pytest.skip("fault tests need PostgreSQL (several gunicorn processes share one database); "
                    "LINLI_TEST_DATABASES excludes it")
    from bench import servers

    made = []

    def make(**kw):
        dep = servers.deploy(**kw)
        made.append(dep)
        return dep

    yield make
    for dep in made:
        dep.close()
