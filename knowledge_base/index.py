"""Tokenisers and a small numpy BM25 index (no external search engine)."""
from __future__ import annotations

import math
import re

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


MERGE_SINGLE_CHARS = True


def words(text: str) -> list[str]:
    """jieba words without spaces and stopwords; runs of single characters that jieba could
    not place (入 职, 时 长) are joined back into one unknown word, so it keeps its weight."""
    out: list[str] = []
    run: list[str] = []
    for w in jieba.lcut(text, HMM=False):
        if len(w) == 1 and "\u4e00" <= w <= "\u9fff" and w not in STOPWORDS:
            run.append(w)
            continue
        _flush(run, out)
        if w.strip() and w not in STOPWORDS:
            out.append(w)
    _flush(run, out)
    return out


def _flush(run: list[str], out: list[str]) -> None:
    if MERGE_SINGLE_CHARS and len(run) in (2, 3):
        out.append("".join(run))
    else:
        out.extend(run)
    run.clear()


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
    """Okapi BM25 with precomputed posting weights in CSR form; score() gives one score per doc."""

    def __init__(self, docs: list[list[str]], k1: float = 1.2, b: float = 0.6):
        self.n = len(docs)
        vocab: dict[str, int] = {}
        setdefault = vocab.setdefault
        term_ids = [setdefault(t, len(vocab)) for d in docs for t in d]
        lens = np.fromiter((len(d) for d in docs), dtype=np.int64, count=self.n)
        doc_ids = np.repeat(np.arange(self.n, dtype=np.int64), lens)
        lens = lens.astype(float)
        avg = float(lens.mean()) if self.n and lens.sum() else 1.0
        self.vocab = vocab
        if not term_ids:
            self.ptr = np.zeros(1, dtype=np.int64)
            self.docs = np.zeros(0, dtype=np.int64)
            self.w = np.zeros(0)
            self.idf_arr = np.zeros(0)
        else:
            # unique (term, doc) pairs with their term frequency, grouped by term
            key = np.array(term_ids, dtype=np.int64) * max(self.n, 1) + doc_ids
            uniq, tf = np.unique(key, return_counts=True)
            t_of, d_of = uniq // max(self.n, 1), uniq % max(self.n, 1)
            df = np.bincount(t_of, minlength=len(vocab))
            self.idf_arr = np.log(1 + (self.n - df + 0.5) / (df + 0.5))
            norm = k1 * (1 - b + b * lens[d_of] / avg)
            self.w = self.idf_arr[t_of] * tf * (k1 + 1) / (tf + norm)
            self.docs = d_of
            self.ptr = np.concatenate(([0], np.cumsum(df)))
        self.max_idf = math.log(1 + (self.n + 0.5) / 0.5) if self.n else 1.0
        self.idf = _IdfView(self)
        self.post = _PostView(self)

    def score(self, query: list[str]) -> tuple[np.ndarray, float]:
        """Scores per doc and the normaliser (sum of query-term idf, OOV terms at max idf)."""
        scores = np.zeros(self.n)
        total = 0.0
        for t in set(query):
            j = self.vocab.get(t)
            if j is None:
                total += self.max_idf
                continue
            total += self.idf_arr[j]
            a, b = self.ptr[j], self.ptr[j + 1]
            scores[self.docs[a:b]] += self.w[a:b]
        return scores, total

    def term_weight(self, t: str) -> float:
        j = self.vocab.get(t)
        return self.max_idf if j is None else float(self.idf_arr[j])


class _IdfView:
    """Mapping-like access term -> idf."""

    def __init__(self, bm: BM25):
        self._bm = bm

    def __getitem__(self, t: str) -> float:
        return float(self._bm.idf_arr[self._bm.vocab[t]])

    def __contains__(self, t: str) -> bool:
        return t in self._bm.vocab

    def get(self, t: str, default=None):
        return self[t] if t in self._bm.vocab else default


class _PostView:
    """Mapping-like access term -> (doc ids, weights)."""

    def __init__(self, bm: BM25):
        self._bm = bm

    def get(self, t: str, default=None):
        j = self._bm.vocab.get(t)
        if j is None:
            return default
        a, b = self._bm.ptr[j], self._bm.ptr[j + 1]
        return self._bm.docs[a:b], self._bm.w[a:b]

    def __contains__(self, t: str) -> bool:
        return t in self._bm.vocab
