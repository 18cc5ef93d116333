"""A TCP proxy on 127.0.0.1 that can stall: connections stay open, nothing moves (a hung database host)."""
from __future__ import annotations

import socket
import threading
import time


class StallProxy:
    """Forward 127.0.0.1:<port> to an upstream address; `stall()` freezes every byte until `resume()`."""

    def __init__(self, upstream: tuple[str, int]):
        self.upstream = upstream
        self._running = threading.Event()
        self._running.set()
        self._flowing = threading.Event()
        self._flowing.set()
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self._sockets: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True, name="stall-proxy").start()

    def stall(self) -> None:
        self._flowing.clear()

    def resume(self) -> None:
        self._flowing.set()

    def close(self) -> None:
        """Stop and drop every connection (blocked clients get an error instead of waiting forever)."""
        self._running.clear()
        self._flowing.set()
        for s in [self._server, *self._sockets]:
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            s.close()

    def _accept(self) -> None:
        while self._running.is_set():
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            threading.Thread(target=self._connect, args=(client,), daemon=True).start()

    def _connect(self, client: socket.socket) -> None:
        self._sockets.append(client)
        self._flowing.wait()  # a stalled host accepts the TCP connection and then says nothing
        try:
            upstream = socket.create_connection(self.upstream, timeout=5)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        self._sockets.append(upstream)
        for src, dst in ((client, upstream), (upstream, client)):
            threading.Thread(target=self._pump, args=(src, dst), daemon=True).start()

    def _pump(self, src: socket.socket, dst: socket.socket) -> None:
        while self._running.is_set():
            self._flowing.wait()
            try:
                data = src.recv(65536)
            except OSError:
                data = b""
            while not self._flowing.is_set() and self._running.is_set():
                time.sleep(0.02)  # read already, but hold it: the peer sees silence
            if not data:
                break
            try:
                dst.sendall(data)
            except OSError:
                break
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
