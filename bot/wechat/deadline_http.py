"""A total deadline per outbound HTTP call (requests' timeouts are per socket read, not per call).

A server that drips one byte every 2 s never trips a 5 s read timeout and could hold an outbox row
for minutes. Sessions with `DeadlineAdapter` mounted remember the connections a call uses; inside
`total_deadline(s)` a timer shuts those sockets down when the time is up, so the blocked read ends
and the call fails with `requests.Timeout`.
"""
from __future__ import annotations

import socket
import threading
import time
from contextlib import contextmanager
from typing import Iterator

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

_local = threading.local()


class _Call:
    """One deadline-bound call: the connections it touched and whether time ran out."""

    def __init__(self, seconds: float):
        self.seconds = seconds
        self.ends_at = time.monotonic() + seconds
        self.expired = False
        self._conns: list[HTTPConnection] = []
        self._lock = threading.Lock()

    def watch(self, conn: HTTPConnection) -> None:
        with self._lock:
            self._conns.append(conn)
            late = self.expired
        if late:
            _shut(conn)

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            conns = list(self._conns)
        for conn in conns:
            _shut(conn)


def _shut(conn: HTTPConnection) -> None:
    sock = getattr(conn, "sock", None)
    if sock is not None:
        try:
            sock.shutdown(socket.SHUT_RDWR)  # wakes a read blocked in another thread
        except OSError:
            pass


def _watch(conn: HTTPConnection) -> None:
    call = getattr(_local, "call", None)
    if call is not None:
        call.watch(conn)


class _Conn(HTTPConnection):
    def request(self, *args, **kwargs):
        _watch(self)
        return super().request(*args, **kwargs)


class _TLSConn(HTTPSConnection):
    def request(self, *args, **kwargs):
        _watch(self)
        return super().request(*args, **kwargs)


class _Pool(HTTPConnectionPool):
    ConnectionCls = _Conn


class _TLSPool(HTTPSConnectionPool):
    ConnectionCls = _TLSConn


class DeadlineAdapter(HTTPAdapter):
    """requests adapter whose connections can be cut by `total_deadline`."""

    def init_poolmanager(self, *args, **kwargs):
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _Pool, "https": _TLSPool}


def mount_deadline_adapter(session: requests.Session) -> requests.Session:
    """Route the session's http(s) traffic through DeadlineAdapter."""
    for prefix in ("http://", "https://"):
        session.mount(prefix, DeadlineAdapter())
    return session


@contextmanager
def total_deadline(seconds: float) -> Iterator[_Call]:
    """Bound every request made in this thread inside the block to `seconds` in total (nesting joins)."""
    outer = getattr(_local, "call", None)
    if outer is not None:
        yield outer
        return
    call = _Call(seconds)
    timer = threading.Timer(seconds, call.expire)
    timer.daemon = True
    _local.call = call
    timer.start()
    try:
        yield call
    except Exception as exc:
        if call.expired:
            raise requests.Timeout(f"no complete answer within the {seconds:g} s deadline "
                                   f"({type(exc).__name__})") from None
        raise
    finally:
        timer.cancel()
        _local.call = None
