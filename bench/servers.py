"""Start and measure the processes under test: a fresh PostgreSQL database, gunicorn, the scheduler.

Used by bench/run.py, bench/soak.py and tests/faults/. Everything listens on 127.0.0.1 only.
"""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
PG_ADMIN_URL = os.environ.get("LINLI_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    """An unused TCP port on 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Database:
    """A fresh PostgreSQL database (migrated and seeded), dropped on close()."""

    def __init__(self, admin_url: str = PG_ADMIN_URL, prefix: str = "linli_bench"):
        from sqlalchemy import create_engine, text
        from sqlalchemy.engine import make_url

        self.name = f"{prefix}_{os.getpid()}_{uuid.uuid4().hex[:6]}"
        from sqlalchemy.pool import NullPool

        # No pooled admin connection: it must survive a PostgreSQL restart (fault tests).
        self._admin = create_engine(admin_url, isolation_level="AUTOCOMMIT", poolclass=NullPool)
        with self._admin.connect() as c:
            c.execute(text(f'CREATE DATABASE "{self.name}"'))
        self.url = make_url(admin_url).set(database=self.name).render_as_string(hide_password=False)

    def engine(self):
        from bot.db import make_engine

        return make_engine(self.url, null_pool=True)

    def backend_pids(self) -> list[int]:
        """PostgreSQL backend processes connected to this database (for CPU accounting)."""
        from sqlalchemy import text

        with self._admin.connect() as c:
            rows = c.execute(text("SELECT pid FROM pg_stat_activity WHERE datname = :d"), {"d": self.name})
            return [r[0] for r in rows]

    def close(self) -> None:
        from sqlalchemy import text

        try:
            with self._admin.connect() as c:
                c.execute(text(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)'))
        finally:
            self._admin.dispose()


def bench_config(db_url: str, directory: str | Path, **overrides) -> Path:
    """config.yaml copied for a multi-process deployment: external scheduler, local transport."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["database"]["url"] = db_url
    if not str(data.get("knowledge_base", "builtin:sample")).startswith("builtin:"):
        data["knowledge_base"] = str((ROOT / data.get("knowledge_base", "knowledge_base/default_faq.yaml")).resolve())
    data.setdefault("scheduler", {})["in_process"] = False
    data.setdefault("outbox", {})["transport"] = "local"
    data.setdefault("web", {})["simulator"] = False
    _own_secrets(data)  # simulator off = production: the public DEMO secrets are refused at start
    for dotted, value in overrides.items():
        node = data
        *parents, leaf = dotted.split(".")
        for p in parents:
            node = node.setdefault(p, {})
        node[leaf] = value
    path = Path(directory) / "linli-bench.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def _own_secrets(data: dict) -> None:
    """Fresh random token, EncodingAESKey, AppSecret and secret key for one deployment."""
    import secrets
    import string

    alphabet = string.ascii_letters + string.digits
    wx = data.setdefault("wechat", {})
    wx["token"] = "bench" + secrets.token_hex(8)
    wx["aes_key"] = "".join(secrets.choice(alphabet) for _ in range(43))
    wx["appsecret"] = secrets.token_hex(16)
    data.setdefault("web", {})["secret_key"] = secrets.token_hex(24)


def prepare(config_path: Path) -> None:
    """Migrate and seed once, before several workers start (they would race on a fresh database)."""
    from bot.config import load_settings
    from bot.services import build_services

    services = build_services(load_settings(config_path, env={}))
    services.engine.dispose()


def _env(config_path: Path | None, extra: dict | None = None) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    env["PYTHONPATH"] = str(ROOT)
    if config_path is not None:
        env["LINLI_CONFIG"] = str(config_path)
    env.update(extra or {})
    return env


@dataclass
class Proc:
    """A server process we started (gunicorn master or scheduler) and its log file."""

    popen: subprocess.Popen
    log: Path
    port: int | None = None
    name: str = ""

    @property
    def pid(self) -> int:
        return self.popen.pid

    def children(self) -> list[int]:
        return children_of(self.pid)

    def stop(self, timeout: float = 10) -> None:
        """SIGTERM, then SIGKILL if it lingers; only this process (its workers follow the master)."""
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            for pid in self.children():
                _kill(pid)
            self.popen.kill()
            self.popen.wait(5)

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _kill(pid: int) -> None:
    try:
        os.kill(pid, signal.SIGKILL)
    except ProcessLookupError:
        pass


def start_gunicorn(app: str, config_path: Path | None, workers: int = 4, threads: int = 2,
                   port: int | None = None, log_dir: str | Path | None = None, name: str = "app",
                   timeout_s: float = 60, extra_env: dict | None = None, preload: bool = False) -> Proc:
    """gunicorn -w N -k gthread on 127.0.0.1:PORT; returns once /healthz (or /) answers."""
    port = port or free_port()
    log = Path(log_dir or tempfile.mkdtemp()) / f"gunicorn-{name}-{port}.log"
    cmd = [str(VENV_BIN / "gunicorn"), "-w", str(workers), "-k", "gthread", "--threads", str(threads),
           "-b", f"127.0.0.1:{port}", "--timeout", "30", "--graceful-timeout", "5", "--keep-alive", "30",
           "--log-level", "warning", *(["-c", str(ROOT / "bench/gunicorn_preload.py")] if preload else []), app]
    popen = subprocess.Popen(cmd, cwd=ROOT, env=_env(config_path, extra_env),
                             stdout=log.open("wb"), stderr=subprocess.STDOUT)
    proc = Proc(popen, log, port, name)
    _wait_ready(proc, workers, timeout_s)
    return proc


def _wait_ready(proc: Proc, workers: int, timeout_s: float) -> None:
    import http.client

    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if proc.popen.poll() is not None:
            raise RuntimeError(f"{proc.name} exited at start:\n{proc.log_tail()}")
        try:
            conn = http.client.HTTPConnection("127.0.0.1", proc.port, timeout=2)
            conn.request("GET", "/healthz")
            conn.getresponse().read()
            conn.close()
            if len(proc.children()) >= workers:
                return
        except OSError:
            pass
        time.sleep(0.2)
    proc.stop()
    raise RuntimeError(f"{proc.name} not ready within {timeout_s}s:\n{proc.log_tail()}")


def start_scheduler(config_path: Path, log_dir: str | Path, name: str = "scheduler") -> Proc | None:
    """`linli scheduler` as its own process, or None when this checkout has no such command."""
    linli = VENV_BIN / "linli"
    probe = subprocess.run([str(linli), "scheduler", "--help"], cwd=ROOT, env=_env(config_path),
                           capture_output=True, timeout=60)
    if probe.returncode != 0:
        return None
    log = Path(log_dir) / f"{name}.log"
    popen = subprocess.Popen([str(linli), "scheduler", "--config", str(config_path)], cwd=ROOT,
                             env=_env(config_path), stdout=log.open("wb"), stderr=subprocess.STDOUT)
    return Proc(popen, log, None, name)


def children_of(pid: int) -> list[int]:
    """Direct children of a process (gunicorn's workers)."""
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
        return [int(p) for p in text.split()]
    except OSError:
        return []


def cpu_seconds(pids: list[int], reaped_too: bool = False) -> float:
    """utime+stime of the processes (plus their reaped children's when asked), in seconds."""
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        total += int(fields[11]) + int(fields[12])  # utime, stime
        if reaped_too:
            total += int(fields[13]) + int(fields[14])  # cutime, cstime: workers that exited
    return total / TICK


def rss_mb(pid: int) -> float:
    """Resident set size of one process in MB (VmRSS)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def pss_mb(pid: int) -> float:
    """Proportional set size in MB: shared pages (preloaded dictionaries) divided among sharers."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def server_cpu(proc: Proc) -> float:
    """CPU seconds of a gunicorn master and all its workers, alive or exited."""
    return cpu_seconds([proc.pid], reaped_too=True) + cpu_seconds(proc.children())


@dataclass
class Deployment:
    """The system under test: database, one or more gunicorn instances, optional scheduler(s)."""

    db: Database
    config: Path
    workdir: Path
    apps: list[Proc] = field(default_factory=list)
    schedulers: list[Proc] = field(default_factory=list)

    def close(self) -> None:
        for p in self.apps + self.schedulers:
            p.stop()
        self.db.close()
        shutil.rmtree(self.workdir, ignore_errors=True)


def deploy(workers: int = 4, threads: int = 2, instances: int = 1, schedulers: int = 1,
           preload: bool = False, **config_overrides) -> Deployment:
    """Fresh database + config, N gunicorn instances of bot.wsgi:app, and scheduler process(es)."""
    workdir = Path(tempfile.mkdtemp(prefix="linli-bench-"))
    db = Database()
    dep = Deployment(db, bench_config(db.url, workdir, **config_overrides), workdir)
    try:
        prepare(dep.config)
        for i in range(instances):
            dep.apps.append(start_gunicorn("bot.wsgi:app", dep.config, workers, threads,
                                           log_dir=workdir, name=f"linli{i}", preload=preload))
        for i in range(schedulers):
            proc = start_scheduler(dep.config, workdir, name=f"scheduler{i}")
            if proc is not None:
                dep.schedulers.append(proc)
    except BaseException:
        dep.close()
        raise
    return dep
