"""Fixtures: every database test runs on SQLite and on PostgreSQL.

LINLI_TEST_DATABASES (default "sqlite,postgresql") picks the backends; LINLI_TEST_PG_URL points at
a PostgreSQL server where the suite may create and drop its own databases
(default postgresql+psycopg://postgres@127.0.0.1:5432/test).
"""
from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool

from bot.db import make_engine, upgrade
from bot.db.models import Base

BACKENDS = [b.strip() for b in os.environ.get("LINLI_TEST_DATABASES", "sqlite,postgresql").split(",") if b.strip()]
PG_ADMIN_URL = os.environ.get("LINLI_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(autouse=True)
def _no_real_network(monkeypatch):
    """Nothing in the suite may reach the internet: only loopback connections are allowed."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self, address):
        host = address[0] if isinstance(address, tuple) else address
        if isinstance(host, str) and not (host.startswith("127.") or host in ("localhost", "::1") or host.startswith("/")):
            raise RuntimeError(f"test tried to reach the network: {address!r}")
        return real_connect(self, address)

    monkeypatch.setattr(socket.socket, "connect", guarded)


def _pg_database(admin_url: str) -> tuple[str, callable]:
    name = f"linli_test_{uuid.uuid4().hex[:10]}"
    # NullPool: a fault test may restart the server mid-session; every admin step connects afresh.
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
    with admin.connect() as c:
        c.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(admin_url).set(database=name).render_as_string(hide_password=False)

    def drop():
        with admin.connect() as c:
            c.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return url, drop


@pytest.fixture(scope="session", params=BACKENDS)
def migrated_db(request, tmp_path_factory):
    """A database per backend, migrated once per test session."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'linli.db'}"
        drop = lambda: None  # noqa: E731
    else:
        url, drop = _pg_database(PG_ADMIN_URL)
    upgrade(url)
    yield url
    drop()


@pytest.fixture
def db_url(migrated_db):
    """The migrated database, emptied before each test."""
    engine = make_engine(migrated_db, null_pool=True)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"))
        else:
            for t in tables:
                conn.execute(text(f'DELETE FROM "{t}"'))
            conn.execute(text("DELETE FROM sqlite_sequence")) if _has_sqlite_sequence(conn) else None
    engine.dispose()
    return migrated_db


def _has_sqlite_sequence(conn) -> bool:
    return bool(conn.execute(text("SELECT 1 FROM sqlite_master WHERE name='sqlite_sequence'")).first())


@pytest.fixture
def desk(db_url):
    """The bot behind its real webhook (safe mode), on a fresh database, clock at 2026-12-01 09:00."""
    from tests.support.harness import Desk, test_settings

    d = Desk(test_settings(db_url))
    yield d
    d.close()


@pytest.fixture
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED} (it sits beside the checkout)")
    return SHARED
