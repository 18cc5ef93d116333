"""Tokenisers and a small numpy BM25 index (no external search engine)."""
from __future__ import annotations

import math
import re
from collections import Counter, defaultdict

import jieba
import numpy as np

from .pinyin import syllables

jieba.setLogLevel(60)
jieba.initialize()

# Function words that carry no topic; question words (几点 多少 哪里) are kept on purpose.
STOPWORDS = frozenset("""的 了 吗 是 我 我们 你 你们 他 她 它 也 都 就 还 和 跟 与 在 个 这 那 这个 那个
一下 要 想 能 会 可以 吧 呢 啊 呀 么 嘛 哦 把 被 给 让 对 又 很 太 有 没 没有 不 请 问 请问 一个 些 一些
现在 今天 就是 什么 怎么 怎么办 怎么样 这样 那样 还是 或者 如果 因为 所以 但是 已经 上 下 里 中 去 来 到 说 听说""".split())
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_TOKEN_CACHE: dict[str, tuple] = {}


def words(text: str) -> list[str]:
    """jieba words without spaces and stopwords."""
    return [w for w in jieba.lcut(text, HMM=False) if w.strip() and w not in STOPWORDS]


def char_bigrams(text: str) -> list[str]:
    out: list[str] = []
    for run in _CJK_RUN.findall(text):
        if len(run) == 1:
            out.append(run)
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    out.extend(re.findall(r"[a-z0-9]+", text))
    return out


def pinyin_bigrams(text: str) -> list[str]:
    out: list[str] = []
    for chunk in text.split():
        syl = syllables(chunk)
        if len(syl) == 1:
            out.append(syl[0])
        out.extend(syl[i] + "_" + syl[i + 1] for i in range(len(syl) - 1))
    return out


def analyse(text: str) -> tuple[list[str], list[str], list[str]]:
    """(words, char bigrams, pinyin bigrams) of normalised text; cached across rebuilds."""
    hit = _TOKEN_CACHE.get(text)
    if hit is None:
        hit = (words(text), char_bigrams(text), pinyin_bigrams(text))
        if len(_TOKEN_CACHE) > 200_000:
            _TOKEN_CACHE.clear()
        _TOKEN_CACHE[text] = hit
    return hit


class BM25:
    """Okapi BM25 with precomputed posting weights; score() returns one score per document."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.6):
        self.n = len(docs)
        lens = np.array([len(d) for d in docs], dtype=np.float64)
        avg = float(lens.mean()) if self.n and lens.sum() else 1.0
        postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, d in enumerate(docs):
            for t, tf in Counter(d).items():
                postings[t].append((i, tf))
        self.idf: dict[str, float] = {}
        self.post: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        norm = k1 * (1 - b + b * lens / avg) if self.n else lens
        for t, plist in postings.items():
            df = len(plist)
            idf = math.log(1 + (self.n - df + 0.5) / (df + 0.5))
            ids = np.fromiter((p[0] for p in plist), dtype=np.int64, count=df)
            tf = np.fromiter((p[1] for p in plist), dtype=np.float64, count=df)
            self.idf[t] = idf
            self.post[t] = (ids, idf * tf * (k1 + 1) / (tf + norm[ids]))
        self.max_idf = math.log(1 + (self.n + 0.5) / 0.5) if self.n else 1.0

    def score(self, query: list[str]) -> tuple[np.ndarray, float]:
        """Scores per doc and the normaliser (sum of query-term idf, OOV terms at max idf)."""
        scores = np.zeros(self.n)
        total = 0.0
        for t in set(query):
            p = self.post.get(t)
            if p is None:
                total += self.max_idf
                continue
            total += self.idf[t]
            scores[p[0]] += p[1]
        return scores, total

    def term_weight(self, t: str) -> float:
        return self.idf.get(t, self.max_idf)
