"""Train the reranker (logistic regression, numpy) on a KB's own questions.

Each FAQ question becomes a query twice: with only that question held out (its FAQ is still
answerable through the other phrasings) and with the whole FAQ held out (nothing is right, so the
model learns what an unanswerable message looks like). Synthetic perturbations (homophones,
dropped characters, pinyin initials, extra context) make it robust. Dev queries are never used.

    python -m knowledge_base.train --kb a.yaml --kb b.yaml --out knowledge_base/reranker.json
"""
from __future__ import annotations

import json
import random
from functools import lru_cache
from collections import defaultdict
from pathlib import Path

import click
import numpy as np

from .classifier import fit_logistic
from .index import words
from .loader import load_kb
from .matcher import FEATURES, Matcher
from .reranker import MODEL_FILE
from .settings import FaqSettings
from .normalize import normalize
from .pinyin import char_pinyin, initials

# Generic chatter residents wrap around a question (not taken from any evaluation data).
_CONTEXT = ["我想问一下", "家里", "我们小区", "那个", "现在", "听说", "我妈", "老人", "孩子", "今年",
            "一直", "能不能", "怎么弄", "在哪里", "急", "麻烦", "多少钱", "要带什么", "我是新搬来的",
            "家里老人年纪大了", "我不太懂", "第一次办这个", "挺着急的", "上次问过没人说清楚",
            "我在外地上班", "周末才有空", "我们是租房住的", "孩子还小", "腿脚不方便", "不会用手机",
            "在线等", "听邻居说的", "单位让我问的", "明天想过去", "上午", "下午有空", "大概要多久",
            "我家那口子", "前两天", "这两天", "具体怎么弄", "需要本人去吗", "能代办吗", "有没有人知道",
            "我爸", "我婆婆", "我们楼", "3号楼的", "住了好几年了", "刚退休", "上班没时间"]


ANSWER_DROPOUT = 0.5
ANSWER_COLUMNS = (FEATURES.index("a"), FEATURES.index("cov_a"))


@lru_cache(maxsize=1)
def _general_words() -> list[str]:
    """Everyday two/three-character words from jieba's dictionary (deterministic order)."""
    import jieba
    return sorted(w for w, f in jieba.dt.FREQ.items()
                  if 2 <= len(w) <= 3 and 200 <= f <= 5000
                  and all("\u4e00" <= c <= "\u9fff" for c in w))


def _perturb(q: str, rng: random.Random, homophones: dict[str, list[str]]) -> list[str]:
    """A few noisy variants of a normalised question."""
    out = []
    chars = [i for i, c in enumerate(q) if "\u4e00" <= c <= "\u9fff"]
    if chars:
        i = rng.choice(chars)
        alts = [c for c in homophones.get(char_pinyin(q[i]), []) if c != q[i]]
        if alts:
            out.append(q[:i] + rng.choice(alts) + q[i + 1:])
    if len(q) > 4:
        i = rng.randrange(len(q))
        out.append(q[:i] + q[i + 1:])
    ws = words(q)
    long = [w for w in ws if len(w) >= 2]
    if long:
        w = rng.choice(long)
        out.append(q.replace(w, initials(w), 1))
    if len(ws) >= 3:
        drop = rng.choice(ws)
        out.append(q.replace(drop, "", 1))
    out.append(rng.choice(_CONTEXT) + q + rng.choice(["", " " + rng.choice(_CONTEXT)]))
    pre = " ".join(rng.sample(_CONTEXT, rng.randint(1, 3)))
    post = " ".join(rng.sample(_CONTEXT, rng.randint(0, 2)))
    out.append(f"{pre} {q} {post}")
    return [normalize(x) for x in out if x.strip()]


def _vec(matcher: Matcher, text: str) -> np.ndarray:
    """A training query's vector through the on-disk cache (re-training costs no embedding)."""
    return matcher.semantic.texts([text])[0]


def build_training(matcher: Matcher, rng: random.Random, top_k: int = 8):
    """Feature rows and labels from one KB."""
    idx = matcher._idx
    homophones: dict[str, list[str]] = defaultdict(list)
    for t in idx.doc_text:
        for c in t:
            if "\u4e00" <= c <= "\u9fff" and c not in homophones[char_pinyin(c)]:
                homophones[char_pinyin(c)].append(c)
    X, y = [], []
    vocab = sorted({w for t in idx.doc_text for w in words(t) if len(w) >= 2})
    for fi in range(len(idx.entries)):
        own = set().union(*(idx.doc_words[d] for d in idx.faq_docs[fi]))
        for d in idx.faq_docs[fi]:
            # Near-miss: swap the most specific word for a word this FAQ never uses; the
            # FAQ must now score low (入职体检 is not 老人体检).
            ws = [w for w in words(idx.doc_text[d]) if len(w) >= 2]
            if not ws:
                continue
            key = max(ws, key=idx.bm_w.term_weight)
            for k in range(3):
                # a word from another FAQ, or an everyday word the KB never uses
                new = rng.choice(vocab) if k < 2 else rng.choice(_general_words())
                if new in own or new in idx.ans_text[fi]:
                    continue
                near = normalize(idx.doc_text[d].replace(key, new, 1))
                F, fis = matcher.features(near, exclude_docs=(d,), qvec=_vec(matcher, near))
                for row, f in zip(F, fis):
                    if f == fi:
                        X.append(row)
                        y.append(0.0)
        for d in idx.faq_docs[fi]:
            q = idx.doc_text[d]
            for variant in [q, *_perturb(q, rng, homophones)]:
                for mode in ("doc", "faq"):
                    kw = {"exclude_docs": (d,)} if mode == "doc" else {"exclude_faq": fi}
                    F, fis = matcher.features(variant, qvec=_vec(matcher, variant), **kw)
                    if rng.random() < ANSWER_DROPOUT:
                        # KB questions share the answer's wording far more than residents do;
                        # hiding answer overlap for part of the training keeps the model from
                        # leaning on it (几点下班 must still find office_hours).
                        F = F.copy()
                        F[:, list(ANSWER_COLUMNS)] = 0.0
                    for row, f in list(zip(F, fis))[:top_k]:
                        X.append(row)
                        y.append(1.0 if (mode == "doc" and f == fi) else 0.0)
    return np.array(X), np.array(y)


@click.command()
@click.option("--kb", "kbs", multiple=True, required=True, type=click.Path(exists=True))
@click.option("--out", default=str(MODEL_FILE), show_default=True)
@click.option("--seed", default=7, show_default=True)
def main(kbs, out, seed):
    """Train reranker weights from the questions of one or more KB files."""
    rng = random.Random(seed)
    Xs, ys = [], []
    blank = Path(out).with_suffix(".untrained.json")   # features only: no weights needed yet
    blank.write_text(json.dumps({"features": list(FEATURES), "weights": {}}), encoding="utf-8")
    for path in kbs:
        m = Matcher(load_kb(path), FaqSettings(model_file=str(blank)))
        X, y = build_training(m, rng)
        Xs.append(X); ys.append(y)
        click.echo(f"{path}: {len(y)} pairs, {int(y.sum())} positive")
    blank.unlink()
    X, y = np.vstack(Xs), np.concatenate(ys)
    w = fit_logistic(X, y, l2=1e-4, iters=60)
    p = 1 / (1 + np.exp(-(X @ w)))
    acc = float(((p > 0.5) == (y > 0.5)).mean())
    Path(out).write_text(json.dumps({
        "features": list(FEATURES), "weights": dict(zip(FEATURES, map(float, w))),
        "trained_on": [Path(k).name for k in kbs], "pairs": int(len(y)),
        "train_accuracy": round(acc, 4)}, ensure_ascii=False, indent=1), encoding="utf-8")
    click.echo(f"wrote {out}: train accuracy {acc:.3f}")


if __name__ == "__main__":
    main()
