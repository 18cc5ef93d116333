"""Database engine, sessions and migrations (SQLite WAL by default, PostgreSQL by URL)."""
from __future__ import annotations

import time
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path
from typing import Iterator

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.pool import NullPool

from bot.db.models import Base

MIGRATIONS = Path(__file__).resolve().parent / "migrations"
SQLITE_BUSY_MS = 15000  # default wait for SQLite's write lock (scheduler, console, CLI)
# libpq: give up connecting after 3 s; notice a dead peer within ~10 s instead of the kernel's minutes.
PG_CONNECT_ARGS = {"connect_timeout": 3, "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2,
                   "keepalives_count": 3, "tcp_user_timeout": 10000}

# Milliseconds a statement may run / wait for a lock in this context (the webhook path sets it).
_deadline_ms: ContextVar[int | None] = ContextVar("linli_db_deadline_ms", default=None)


class DbWatch:
    """When the current database call of one unit of work began (None: not in one); read by another thread."""

    def __init__(self) -> None:
        self.since: float | None = None

    def waiting_for(self) -> float:
        """Seconds the unit of work has been inside its current database call (0 when it is not)."""
        since = self.since
        return 0.0 if since is None else time.monotonic() - since


_watch: ContextVar[DbWatch | None] = ContextVar("linli_db_watch", default=None)


@contextmanager
def watched(watch: DbWatch) -> Iterator[DbWatch]:
    """Database calls made inside (this context) mark `watch` while they wait on the server."""
    token = _watch.set(watch)
    watch.since = time.monotonic()  # the first thing a unit of work does is get a connection
    try:
        yield watch
    finally:
        _watch.reset(token)


def _call_starts(*_args, **_kw) -> None:
    watch = _watch.get()
    if watch is not None:
        watch.since = time.monotonic()


def _call_ends(*_args, **_kw) -> None:
    watch = _watch.get()
    if watch is not None:
        watch.since = None


def _watch_calls(engine: Engine) -> None:
    # Statements, commits and connecting count as "waiting on the database"; Python work between
    # statements does not. A commit's mark lasts until the next statement ends, so the checkout
    # (and pool pre-ping) of the next transaction's connection counts too.
    for name in ("before_cursor_execute", "commit", "rollback", "do_connect"):
        event.listen(engine, name, _call_starts)
    event.listen(engine, "after_cursor_execute", _call_ends)
    event.listen(engine, "handle_error", _call_ends)


@contextmanager
def statement_deadline(seconds: float) -> Iterator[None]:
    """Transactions begun inside get server-side statement and lock timeouts (SQLite: busy timeout)."""
    token = _deadline_ms.set(max(1, int(seconds * 1000)))
    try:
        yield
    finally:
        _deadline_ms.reset(token)


def make_engine(url: str, echo: bool = False, pool_size: int = 5, null_pool: bool = False) -> Engine:
    """Create an engine; SQLite gets WAL, a busy timeout and foreign keys."""
    if url.startswith("sqlite"):
        _ensure_sqlite_dir(url)
        extra = {"poolclass": NullPool} if null_pool else {}
        engine = create_engine(
            url, echo=echo, connect_args={"timeout": 15, "check_same_thread": False}, **extra
        )
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin_immediate)
        _watch_calls(engine)
        return engine
    connect_args = {k: v for k, v in PG_CONNECT_ARGS.items() if k not in url} if "postgresql" in url else {}
    if null_pool:
        engine = create_engine(url, echo=echo, poolclass=NullPool, connect_args=connect_args)
    else:
        engine = create_engine(url, echo=echo, pool_size=pool_size, max_overflow=10, pool_pre_ping=True,
                               connect_args=connect_args)
    if engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _pg_begin_deadline)
    _watch_calls(engine)
    return engine


def _pg_begin_deadline(conn) -> None:
    # SET LOCAL equivalents: they end with the transaction, so pooled connections stay unaffected.
    ms = _deadline_ms.get()
    if ms is not None:
        conn.exec_driver_sql(f"SELECT set_config('statement_timeout', '{ms}', true), "
                             f"set_config('lock_timeout', '{ms}', true)")


def _ensure_sqlite_dir(url: str) -> None:
    path = url.split("///", 1)[-1]
    if path and ":memory:" not in path:
        Path(path).parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    # pysqlite's own transaction handling is switched off so BEGIN IMMEDIATE below is ours.
    dbapi_conn.isolation_level = None
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_MS}")
    cur.close()


def _sqlite_begin_immediate(conn) -> None:
    # The busy timeout bounds the wait for the write lock; it is per connection, so set only on change.
    busy = _deadline_ms.get() or SQLITE_BUSY_MS
    if conn.info.get("busy_ms", SQLITE_BUSY_MS) != busy:
        conn.exec_driver_sql(f"PRAGMA busy_timeout={busy}")
        conn.info["busy_ms"] = busy
    # Take the write lock at BEGIN so concurrent writers queue instead of failing to upgrade.
    conn.exec_driver_sql("BEGIN IMMEDIATE")


def make_session_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)


@contextmanager
def transaction(factory: sessionmaker[Session]) -> Iterator[Session]:
    """One unit of work: commit on success, roll back on any error."""
    with factory() as session, session.begin():
        yield session


def alembic_config(url: str):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "heads") -> None:
    """Create or upgrade the schema to the latest migration."""
    from alembic import command

    _ensure_sqlite_dir(url) if url.startswith("sqlite") else None
    command.upgrade(alembic_config(url), revision)


__all__ = ["Base", "DbWatch", "make_engine", "make_session_factory", "statement_deadline", "transaction",
           "upgrade", "watched"]
