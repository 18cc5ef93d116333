"""The sentence-embedding layer: real model, on-disk cache by content hash, clipping."""
from __future__ import annotations

import sqlite3
import threading

import numpy as np

from knowledge_base.embedding import MAX_CHARS, EmbeddingCache, clip, shared_embedder


def test_vectors_are_normalised_and_meaningful():
    e = shared_embedder()
    v = e.queries(["楼道里一股煤气味", "闻到很重的燃气味道", "社区几点下班"])
    assert v.shape == (3, 384) and np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-3)
    assert v[0] @ v[1] > v[0] @ v[2]   # same meaning, other words: nearer than another topic


def test_cache_embeds_each_text_once_and_survives_a_restart(tmp_path):
    class Counting:
        model_id = "counting"
        calls = 0

        def passages(self, texts):
            Counting.calls += len(texts)
            return shared_embedder().passages(texts)

    path = tmp_path / "emb.sqlite"
    first = EmbeddingCache(path).embed(Counting(), ["低保怎么申请", "几点下班"])
    assert Counting.calls == 2
    again = EmbeddingCache(path).embed(Counting(), ["几点下班", "低保怎么申请", "新的问法"])  # a new process
    assert Counting.calls == 3                       # only the new wording was embedded
    assert np.allclose(again[0], first[1], atol=1e-2) and np.allclose(again[1], first[0], atol=1e-2)
    with sqlite3.connect(path) as c:
        assert c.execute("SELECT count(*) FROM emb").fetchone()[0] == 3


def test_an_unwritable_cache_only_costs_speed(tmp_path):
    blocked = tmp_path / "file"
    blocked.write_text("not a directory")
    cache = EmbeddingCache(blocked / "emb.sqlite")
    assert cache.path is None and cache.embed(shared_embedder(), ["几点下班"]).shape == (1, 384)


def test_long_text_is_clipped_head_and_tail():
    text = "开头" + "中" * 500 + "结尾"
    out = clip(text)
    assert len(out) <= MAX_CHARS + 1 and out.startswith("开头") and out.endswith("结尾")


def test_threads_share_the_model_safely():
    e, errors = shared_embedder(), []

    def work(i):
        try:
            for j in range(5):
                assert e.queries([f"第{i}栋{j}单元的灯坏了"]).shape == (1, 384)
        except Exception as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert errors == []
