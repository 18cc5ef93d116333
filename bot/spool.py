"""A durable spool for messages acknowledged while the database is unreachable, and their replay.

When the pipeline cannot reach the database, the decrypted Inbound is appended (one JSON line,
fsync'd) to this process's spool file and the resident gets a polite "received" reply. A replayer
thread feeds spooled messages back through the normal pipeline once the database answers again
(dedupe by msg_key makes replay idempotent) and queues the real reply in the outbox.
Files live in <spool dir>/<database fingerprint>/, so two deployments never replay each other's.
"""
from __future__ import annotations

import fcntl
import hashlib
import json
import logging
import os
import socket
import threading
import time
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import Callable

from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError, PendingRollbackError

from bot.db import transaction
from bot.domain import Inbound, Location, OutboundMessage, Reply
from bot.outbox.enqueue import enqueue

log = logging.getLogger("linli.spool")

DB_UNAVAILABLE = (OperationalError, InterfaceError)  # what a failed ping raises


class NotStored(Exception):
    """Neither the database nor the spool took the message: WeChat must retry (answer non-200)."""
ACK = "您的消息已收到，系统正在处理，稍后回复您。如有急事请拨打社区值班电话{phone}。"


def to_json(msg: Inbound) -> str:
    data = asdict(msg)
    data["at"] = msg.at.isoformat()
    return json.dumps(data, ensure_ascii=False)


def from_json(line: str) -> Inbound:
    data = json.loads(line)
    data["at"] = datetime.fromisoformat(data["at"])
    if data.get("location"):
        data["location"] = Location(**data["location"])
    return Inbound(**data)


def spool_dir(settings) -> Path:
    """$LINLI_SPOOL_DIR, else var/spool beside the config file; one subfolder per database."""
    base = os.environ.get("LINLI_SPOOL_DIR")
    if not base:
        source = Path(getattr(settings, "source", "") or "")
        base = (source.parent if source.is_file() else Path.cwd()) / "var" / "spool"
    fingerprint = hashlib.sha1(settings.database.url.encode()).hexdigest()[:12]
    return Path(base) / fingerprint


class Spool:
    """Append-only spool files (one per process) and their replay."""

    def __init__(self, directory: Path, phone: str = ""):
        self.directory = Path(directory)
        self.phone = phone
        self._lock = threading.Lock()
        self._replayer: threading.Thread | None = None

    @property
    def path(self) -> Path:
        return self.directory / f"spool-{socket.gethostname()}-{os.getpid()}.jsonl"

    def accept(self, msg: Inbound) -> Reply:
        """Write the message durably (fsync) and return the acknowledgement for the resident."""
        self.directory.mkdir(parents=True, exist_ok=True)
        line = (to_json(msg) + "\n").encode("utf-8")
        with self._lock:
            _append_locked(self.path, line)
        log.warning("database unavailable: spooled %s to %s", msg.msg_key, self.path.name)
        return Reply(ACK.format(phone=self.phone))

    def pending(self) -> list[Path]:
        """Spool files waiting for replay (including ones claimed by a replayer that died)."""
        if not self.directory.is_dir():
            return []
        return sorted(p for p in self.directory.iterdir() if p.name.startswith("spool-"))

    def replay(self, process: Callable[[Inbound], Reply], send: Callable[[Inbound, Reply], None]) -> int:
        """Feed every spooled message back through `process`; returns how many were replayed."""
        done = 0
        for path in self.pending():
            claimed = self._claim(path)
            if claimed is None:
                continue
            for msg in _read_locked(claimed):
                reply = process(msg)
                if reply.text == ACK.format(phone=self.phone):
                    continue  # the database went away again: re-spooled in a new file
                send(msg, reply)
                done += 1
                time.sleep(0.005)  # let live requests in this process have the GIL between replays
            claimed.unlink()
            _fsync_dir(self.directory)
        return done

    def _claim(self, path: Path) -> Path | None:
        """Rename a file so writers start a new one; a claimed file of a live replayer is skipped."""
        if ".replaying-" in path.name:
            owner = int(path.name.rsplit("-", 1)[1])
            if owner != os.getpid() and _alive(owner):
                return None
            return path
        claimed = path.with_name(f"{path.name}.replaying-{os.getpid()}")
        try:
            os.rename(path, claimed)
        except FileNotFoundError:
            return None
        return claimed

    def start_replayer(self, process, send, ping: Callable[[], bool], interval_s: float = 1.0) -> None:
        """Run replay in a daemon thread: every interval, if files wait and the database answers."""
        with self._lock:
            if self._replayer is not None and self._replayer.is_alive():
                return
            self._replayer = threading.Thread(target=self._loop, args=(process, send, ping, interval_s),
                                              name="linli-spool-replayer", daemon=True)
            self._replayer.start()

    def _loop(self, process, send, ping, interval_s: float) -> None:
        while True:
            time.sleep(interval_s)
            try:
                if self.pending() and ping():
                    n = self.replay(process, send)
                    log.warning("replayed %d spooled message(s)", n) if n else None
            except Exception:  # keep the thread alive: files stay on disk for the next round
                log.exception("spool replay failed; will retry")


def _append_locked(path: Path, line: bytes) -> None:
    """Append under flock; retry if a replayer renamed the file between open and lock."""
    while True:
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            try:
                same = os.fstat(fd).st_ino == os.stat(path).st_ino
            except FileNotFoundError:
                same = False
            if same:
                os.write(fd, line)
                os.fsync(fd)
                return
        finally:
            os.close(fd)  # closing releases the lock


def _read_locked(path: Path) -> list[Inbound]:
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)  # waits for a writer that opened the file before the rename
        data = b""
        while chunk := os.read(fd, 1 << 16):
            data += chunk
    finally:
        os.close(fd)
    lines = data.decode("utf-8").splitlines()
    out = []
    for n, line in enumerate(lines):
        try:
            out.append(from_json(line))
        except (ValueError, TypeError, KeyError):  # a torn last line from a crash mid-write
            log.error("skipping unreadable spool line %d of %s", n + 1, path.name)
    return out


def _fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def spool_for(services) -> Spool:
    """The process's Spool (kept in services.spool), with its replayer thread running."""
    spool = _process_spool(services)
    start_replayer(services, spool)
    return spool


def _process_spool(services) -> Spool:
    if services.spool is None:
        services.spool = Spool(spool_dir(services.settings), services.settings.desk.duty_phone)
    return services.spool


def start_replayer(services, spool: Spool | None = None) -> Spool:
    """Start replaying this database's spool in the background (create_app/scheduler may call it)."""
    spool = spool or _process_spool(services)
    spool.start_replayer(services.pipeline.process, _outbox_sender(services), _pinger(services))
    return spool


def _outbox_sender(services) -> Callable[[Inbound, Reply], None]:
    """Queue the real reply to a replayed message (its passive reply was the acknowledgement)."""
    def send(msg: Inbound, reply: Reply) -> None:
        if not reply.text:
            return
        out = OutboundMessage(recipient=msg.open_id, text=reply.text, dedupe_key=f"spool-reply:{msg.msg_key}")
        with transaction(services.session_factory) as session:
            enqueue(session, out, services.clock.now())

    return send


def _pinger(services) -> Callable[[], bool]:
    def ping() -> bool:
        try:
            with services.engine.connect() as conn:
                conn.execute(text("SELECT 1"))
            return True
        except DB_UNAVAILABLE:
            return False

    return ping


def unavailable(exc: BaseException) -> bool:
    """Does this database error mean 'cannot reach the database' (rather than a bug or a conflict)?"""
    if isinstance(exc, (OperationalError, InterfaceError, PendingRollbackError)):
        return True
    if isinstance(exc, DBAPIError) and exc.connection_invalidated:
        return True
    sqlstate = getattr(getattr(exc, "orig", None), "sqlstate", None) or ""
    return sqlstate[:2] in ("08", "57")  # connection exception, operator intervention


def spool_or_apologise(pipeline, msg: Inbound, exc: BaseException) -> Reply:
    """Pipeline hook: spool the message when the database is away; otherwise the usual apology."""
    if not unavailable(exc):
        log.exception("handler pipeline failed for %s", msg.msg_key)
        return pipeline._apologise(msg)
    log.warning("database unavailable while handling %s: %s", msg.msg_key, str(exc).splitlines()[0])
    return keep(pipeline.services, msg)


def keep(services, msg: Inbound) -> Reply:
    """Spool the message and return the acknowledgement; NotStored if the spool fails too."""
    try:
        return spool_for(services).accept(msg)
    except Exception as exc:
        log.error("message %s NOT stored: database unavailable and spool failed (%s: %s); "
                  "answering non-200 so WeChat retries", msg.msg_key, type(exc).__name__, exc)
        raise NotStored(msg.msg_key) from exc
