"""The semantic stage: one embedder per process plus the knowledge base's cached vectors.

Everything that needs meaning (FAQ ranking, the safety net, intent guards, routing) takes the
message's vector from here once per message; knowledge-base texts are embedded at index rebuild
through the on-disk cache, so an edit re-embeds only the questions that changed.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np

from .embedding import Embedder, EmbeddingCache, default_cache_path, shared_embedder

SEMANTIC_POOL = 4   # FAQs added to the lexical candidate pool by meaning alone


@dataclass
class Semantic:
    """An embedder and the cache its knowledge-base vectors live in."""

    embedder: Embedder
    cache: EmbeddingCache = field(default_factory=lambda: EmbeddingCache(None))

    def query(self, text: str) -> np.ndarray:
        """The message's vector (LRU-cached inside the embedder)."""
        return self.embedder.queries([text])[0]

    def queries(self, texts: Sequence[str]) -> np.ndarray:
        return self.embedder.queries(list(texts))

    def texts(self, texts: Sequence[str]) -> np.ndarray:
        """Vectors for knowledge-base texts, through the on-disk cache."""
        return self.cache.embed(self.embedder, list(texts))


_by_path: dict[str, Semantic] = {}
_lock = threading.Lock()


def shared_semantic(cache_path: str | Path | None = None) -> Semantic:
    """The process's semantic stage for a cache file (one model, one cache object per path)."""
    path = str(cache_path or default_cache_path())
    with _lock:
        sem = _by_path.get(path)
        if sem is None:
            sem = _by_path[path] = Semantic(shared_embedder(), EmbeddingCache(path))
        return sem


def faq_similarity(qvec: np.ndarray, doc_vecs: np.ndarray, doc_faq: np.ndarray, n_faq: int,
                   exclude_docs=()) -> np.ndarray:
    """Best cosine similarity between the message and each FAQ's questions (-1 if none left)."""
    sims = doc_vecs @ qvec if len(doc_vecs) else np.zeros(0)
    if len(exclude_docs):
        sims = sims.copy()
        sims[list(exclude_docs)] = -1.0
    out = np.full(n_faq, -1.0)
    np.maximum.at(out, doc_faq, sims)
    return out


def semantic_columns(sim: np.ndarray, fis: list[int]) -> np.ndarray:
    """Per-candidate features: similarity, margin to the best rival, z-score, is-best."""
    valid = sim[sim > -1.0]
    if len(valid) == 0:
        return np.zeros((len(fis), 4))
    mu, sd = float(valid.mean()), float(valid.std()) or 1.0
    order = np.argsort(-sim)
    best, second = sim[order[0]], (sim[order[1]] if len(sim) > 1 else mu)
    rows = []
    for fi in fis:
        s = sim[fi]
        rival = second if fi == order[0] else best
        rows.append([s, s - rival, (s - mu) / sd, float(fi == order[0])])
    return np.array(rows)
