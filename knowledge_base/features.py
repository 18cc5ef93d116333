"""Features of (message, candidate FAQ) pairs for the reranker."""
from __future__ import annotations

import math
from functools import lru_cache

import jieba

import numpy as np
from rapidfuzz import fuzz

from .index import analyse
from .pinyin import syllables
from .semantic import SEMANTIC_POOL, semantic_columns


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


N_LEXICAL = 23
N_FEATURES = 27   # the lexical columns, then four semantic ones (knowledge_base.semantic)
GENERAL_MIX = 0.5
DISABLED: tuple[int, ...] = ()   # feature columns to switch off (ablation)


def _reverse_cov(terms, qset, qsyl) -> float:
    """Share (idf-weighted) of an FAQ question's words that the message contains, by word
    or by fuzzy pinyin (so 设区 still covers 社区): high when a chatty message holds the FAQ."""
    tot = hit = 0.0
    for word, w, py in terms:
        tot += w
        if word in qset or (py and py in qsyl):
            hit += w
    return hit / tot if tot else 0.0


def _chars_in(word: str, bigrams: set[str]) -> bool:
    """A word counts as covered if all its char bigrams occur in the candidate's questions."""
    if len(word) < 2:
        return True
    return all(word[i:i + 2] in bigrams for i in range(len(word) - 1))


def _weighted_cov(qtoks, have, bm) -> float:
    tot = sum(bm.term_weight(t) for t in qtoks)
    if tot <= 0:
        return 0.0
    return sum(bm.term_weight(t) for t in qtoks if t in have) / tot


@lru_cache(maxsize=50000)
def _general_rarity(word: str) -> float:
    """How rare a word is in general Chinese (jieba's dictionary), scaled to [0.15, 1].

    A word the KB never uses weighs by this: 我家/上班 barely matter, 烩面馆/入职 decide."""
    freq = jieba.dt.FREQ.get(word, 0)
    gidf = math.log(jieba.dt.total / (freq + 1))
    return min(1.0, max(0.15, (gidf - 9.0) / 6.0))


def _query_weights(qw, idx, ex, exclude_faq):
    """idf per query word; a word the (non-held-out) KB never uses weighs by general rarity."""
    wt, known = {}, {}
    for t in set(qw):
        p = idx.bm_w.post.get(t)
        in_q = p is not None and (not ex or any(int(d) not in ex for d in p[0]))
        grams = [t[i:i + 2] for i in range(len(t) - 1)]
        in_a = bool(grams) and all(g in idx.bm_a.vocab for g in grams)
        known[t] = in_q or in_a
        if in_q:   # everyday words (我家, 今年) count for less even when the KB uses them
            wt[t] = idx.bm_w.idf[t] * (1 - GENERAL_MIX + GENERAL_MIX * _general_rarity(t))
        elif in_a:   # seen only in answers: as specific as its rarest char bigram there
            wt[t] = idx.bm_w.max_idf * max(idx.bm_a.term_weight(g) for g in grams) / idx.bm_a.max_idf
        else:
            wt[t] = idx.bm_w.max_idf * _general_rarity(t)
    return wt, known


def _cov(qtoks, have, wt) -> float:
    tot = sum(wt[t] for t in qtoks)
    return sum(wt[t] for t in qtoks if t in have) / tot if tot > 0 else 0.0


def candidate_features(norm: str, idx, pool: int, exclude_docs=(), exclude_faq=None,
                       sem: np.ndarray | None = None):
    """Return (matrix [n_candidates x n_features], faq indices) for the top `pool` FAQs.

    `sem` is the message's best cosine similarity per FAQ (exclusions applied): the FAQs
    nearest in meaning join the pool, and four semantic columns follow the lexical ones."""
    n_faq = len(idx.entries)
    if not norm or n_faq == 0:
        return np.zeros((0, N_FEATURES)), []
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
    sa, atot = idx.bm_a.score(qc)
    fa = sa / atot if atot > 0 else sa
    if exclude_faq is not None:
        fa[exclude_faq] = 0.0
        fcomb[exclude_faq] = -9.0
    base = fcomb + 0.5 * fa
    k = min(pool, n_faq - (exclude_faq is not None))
    if k <= 0:
        return np.zeros((0, N_FEATURES)), []
    top = np.argpartition(-base, k - 1)[:k] if k < n_faq else np.arange(n_faq)
    top = top[np.argsort(-base[top])]
    top = [int(i) for i in top if i != exclude_faq]
    if sem is not None:   # meaning finds what shares no words (暖气不热 / 供暖)
        near = [int(i) for i in np.argsort(-sem)[:SEMANTIC_POOL] if sem[i] > -1.0]
        top += [i for i in near if i not in top and i != exclude_faq]
    qtext = norm.replace(" ", "")
    qjoin = " ".join(qw)
    qpy = " ".join(qp)
    wt, known = _query_weights(qw, idx, ex, exclude_faq)
    qtot = sum(wt.values()) if qw else 0.0
    oov = (sum(wt[t] for t in set(qw) if not known[t]) / qtot) if qtot else 1.0
    qlen = math.log1p(len(qw))
    qset = set(qw)
    qsyl = " " + " ".join(syllables(norm)) + " "
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
        cov = _cov(qw, have_w, wt)
        cov_c = _weighted_cov(qc, have_c, idx.bm_c)
        atext = idx.ans_text[fi]
        in_ans = {t for t in qset if t in atext}
        cov_a = _cov(qw, in_ans, wt)
        have_p = set().union(*(idx.doc_pinyin[d] for d in docs))
        cov_p = _weighted_cov(qp, have_p, idx.bm_p)
        # The most specific query word that neither the questions nor the answer mention
        # (入职 in 入职体检): near-misses differ from the FAQ in exactly such a word.
        miss = [wt[t] for t in qw
                if t not in have_w and t not in in_ans and not _chars_in(t, have_c)]
        miss_max = max(miss, default=0.0) / idx.bm_w.max_idf
        rcov = max(_reverse_cov(idx.doc_terms[d], qset, qsyl) for d in docs)
        rel = base[fi] - (second if base[fi] >= best_base else best_base)
        rows.append((fi, [1.0, fw[fi], fc[fi], fp[fi], fa[fi], partial, tset, py, cov, cov_c,
                          cov_a, rel, float(fi == top[0]), qlen, oov, cov * cov, rel * cov,
                          cov_p, miss_max, len(miss) / max(1, len(qw)), rcov, rcov * rcov,
                          rcov * cov]))
    if not rows:
        return np.zeros((0, N_FEATURES)), []
    F = np.array([r[1] for r in rows])
    fis = [r[0] for r in rows]
    S = semantic_columns(sem, fis) if sem is not None else np.zeros((len(fis), 4))
    F = np.hstack([F, S])
    # Saturate score-like features so the linear model never extrapolates past what it saw
    # in training (an exact question match must not look "too good to be true").
    np.clip(F[:, 1:5], 0.0, 1.0, out=F[:, 1:5])
    np.clip(F[:, 11], -1.0, 1.0, out=F[:, 11])
    np.clip(F[:, 16], -1.0, 1.0, out=F[:, 16])
    for j in DISABLED:
        F[:, j] = 0.0
    return F, fis
