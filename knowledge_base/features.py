"""Features of (message, candidate FAQ) pairs for the reranker."""
from __future__ import annotations

import math

import numpy as np
from rapidfuzz import fuzz

from .index import analyse, words


def _norm_scores(bm, toks, exclude_docs):
    s, total = bm.score(toks)
    if total > 0:
        s = s / total
    if len(exclude_docs):
        s[list(exclude_docs)] = -1.0
    return s


def _faq_max(doc_scores, doc_faq, n_faq):
    out = np.full(n_faq, -1.0)
    np.maximum.at(out, doc_faq, doc_scores)
    return out


def _weighted_cov(qtoks, have, bm) -> float:
    tot = sum(bm.term_weight(t) for t in qtoks)
    if tot <= 0:
        return 0.0
    return sum(bm.term_weight(t) for t in qtoks if t in have) / tot


def candidate_features(norm: str, idx, pool: int, exclude_docs=(), exclude_faq=None):
    """Return (matrix [n_candidates x n_features], faq indices) for the top `pool` FAQs."""
    n_faq = len(idx.entries)
    if not norm or n_faq == 0:
        return np.zeros((0, 17)), []
    qw, qc, qp = analyse(norm)
    ex = set(exclude_docs)
    if exclude_faq is not None:
        ex |= set(idx.faq_docs[exclude_faq])
    sw = _norm_scores(idx.bm_w, qw, ex)
    sc = _norm_scores(idx.bm_c, qc, ex)
    sp = _norm_scores(idx.bm_p, qp, ex)
    doc_comb = sw + sc + sp
    fw, fc, fp = (_faq_max(x, idx.doc_faq_arr, n_faq) for x in (sw, sc, sp))
    fcomb = _faq_max(doc_comb, idx.doc_faq_arr, n_faq)
    sa, atot = idx.bm_a.score(qw)
    fa = sa / atot if atot > 0 else sa
    if exclude_faq is not None:
        fa[exclude_faq] = 0.0
        fcomb[exclude_faq] = -9.0
    base = fcomb + 0.5 * fa
    k = min(pool, n_faq - (exclude_faq is not None))
    if k <= 0:
        return np.zeros((0, 17)), []
    top = np.argpartition(-base, k - 1)[:k] if k < n_faq else np.arange(n_faq)
    top = top[np.argsort(-base[top])]
    top = [int(i) for i in top if i != exclude_faq]
    qtext = norm.replace(" ", "")
    qjoin = " ".join(qw)
    qpy = " ".join(qp)
    oov = _weighted_cov(qw, set(), idx.bm_w)  # 0 here; real OOV share below
    vocab = idx.bm_w.post
    qtot = sum(idx.bm_w.term_weight(t) for t in qw)
    oov = (sum(idx.bm_w.max_idf for t in qw if t not in vocab) / qtot) if qtot else 1.0
    qlen = math.log1p(len(qw))
    best_base = base[top[0]] if top else 0.0
    second = base[top[1]] if len(top) > 1 else 0.0
    rows = []
    for fi in top:
        docs = [d for d in idx.faq_docs[fi] if d not in ex]
        if not docs:
            continue
        partial = max(fuzz.partial_ratio(qtext, idx.doc_text[d].replace(" ", "")) for d in docs) / 100
        tset = max(fuzz.token_set_ratio(qjoin, " ".join(analyse(idx.doc_text[d])[0]))
                   for d in docs) / 100
        py = max(fuzz.token_set_ratio(qpy, " ".join(analyse(idx.doc_text[d])[2]))
                 for d in docs) / 100
        have_w = set().union(idx.faq_words[fi], *(idx.doc_words[d] for d in docs))
        have_c = set().union(*(idx.doc_bigrams[d] for d in docs))
        cov = _weighted_cov(qw, have_w, idx.bm_w)
        cov_c = _weighted_cov(qc, have_c, idx.bm_c)
        cov_a = _weighted_cov(qw, idx.ans_words[fi], idx.bm_w)
        rel = base[fi] - (second if base[fi] >= best_base else best_base)
        rows.append((fi, [1.0, fw[fi], fc[fi], fp[fi], fa[fi], partial, tset, py, cov, cov_c,
                          cov_a, rel, float(fi == top[0]), qlen, oov, cov * cov, rel * cov]))
    if not rows:
        return np.zeros((0, 17)), []
    return np.array([r[1] for r in rows]), [r[0] for r in rows]
