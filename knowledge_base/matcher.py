"""FAQ matcher: guards, BM25 retrieval (words, char and pinyin bigrams), fuzzy features, reranker."""
from __future__ import annotations

import re
import threading
from functools import lru_cache
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from .features import candidate_features
from .guards import guard as run_guards
from .index import BM25, analyse, char_bigrams
from .loader import FaqEntry
from .normalize import normalize
from .pinyin import initials, is_abbreviation, syllables
from .reranker import Reranker
from .semantic import Semantic, faq_similarity, shared_semantic
from .settings import FaqSettings
from .understanding import KbBank, Safety, Thresholds, shared_understanding

EXACT_MATCH_SCORE = 0.97
MAX_QUERY_CHARS = 400
FEATURES = ("bias", "w", "c", "p", "a", "partial", "tset", "py", "cov", "cov_c", "cov_a",
            "rel", "top", "qlen", "oov", "cov_sq", "rel_cov", "cov_p", "miss_max", "miss_n",
            "rcov", "rcov_sq", "rcov_cov", "e_sim", "e_rel", "e_z", "e_top")


@dataclass(frozen=True)
class Candidate:
    faq_id: str
    question: str
    score: float  # calibrated probability that this FAQ answers the message
    route: str = "consult"  # the FAQ's ticket category (used by the router on handoff)


@dataclass(frozen=True)
class MatchResult:
    decision: Literal["answer", "suggest", "handoff"]
    candidates: tuple[Candidate, ...]
    normalized: str
    guard: str | None = None      # urgent, caution, personal_status, complaint, suggestion, action
    safety: Safety | None = field(default=None, compare=False)
    intent: str | None = None     # question, action_request, case_status, complaint, …
    semantic_route: tuple[str, float] | None = None   # ticket category by meaning, probability
    guard_by_meaning: bool = False   # the guard came from the intent model, not a pattern
    vector: np.ndarray | None = field(default=None, compare=False, repr=False)


class _Index:
    """Immutable snapshot of everything the matcher needs; swapped atomically on rebuild."""

    def __init__(self, entries: list[FaqEntry], semantic: Semantic):
        self.entries = [e for e in entries if e.enabled]
        self.doc_faq: list[int] = []
        self.doc_text: list[str] = []
        toks_w, toks_c, toks_p, ans = [], [], [], []
        self.faq_words: list[set[str]] = []
        self.faq_docs: list[list[int]] = []
        self.ans_text: list[str] = []
        for fi, e in enumerate(self.entries):
            start = len(self.doc_faq)
            for q in e.all_questions:
                n = normalize(q)
                w, c, p = analyse(n)
                self.doc_faq.append(fi)
                self.doc_text.append(n)
                toks_w.append(w); toks_c.append(c); toks_p.append(p)
            self.faq_docs.append(list(range(start, len(self.doc_faq))))
            extra = normalize(" ".join((*e.tags, e.category)))
            self.faq_words.append(set(analyse(extra)[0]))
            atext = normalize(e.answer + " " + extra)
            ans.append(_bigrams_cached(atext))
            self.ans_text.append(atext.replace(" ", ""))
        self.doc_faq_arr = np.array(self.doc_faq, dtype=np.int64)
        # meaning of every question, from the on-disk cache (only new wordings are embedded)
        self.doc_vecs = semantic.texts(self.doc_text)
        self.bank = KbBank(self.doc_vecs, tuple(self.entries[f].route for f in self.doc_faq))
        self.bm_w, self.bm_c, self.bm_p = BM25(toks_w), BM25(toks_c), BM25(toks_p)
        self.bm_a = BM25(ans)
        # per-document sets are built lazily: a query only looks at a dozen FAQs
        self.doc_words = _Lazy(toks_w, set)
        self.doc_bigrams = _Lazy(toks_c, set)
        self.doc_pinyin = _Lazy(toks_p, set)
        idf = self.bm_w.idf
        self.doc_terms = _Lazy(toks_w, lambda w: [(t, idf[t], _word_pinyin(t)) for t in set(w)])
        self._abbrev: dict[str, list[str]] | None = None
        self.by_id = {e.id: i for i, e in enumerate(self.entries)}
        owners: dict[str, set[int]] = defaultdict(set)
        for d, text in enumerate(self.doc_text):
            owners[text.replace(" ", "")].add(self.doc_faq[d])
        self.exact = {t: next(iter(f)) for t, f in owners.items() if len(f) == 1 and len(t) >= 4}


    @property
    def abbrev(self) -> dict[str, list[str]]:
        """Pinyin-initials table, built on the first message that contains latin letters."""
        if self._abbrev is None:
            self._abbrev = _abbrev_table(self.doc_text)
        return self._abbrev


class _Lazy:
    """list-like view computing fn(items[i]) on first access."""

    def __init__(self, items: list, fn):
        self._items, self._fn, self._cache = items, fn, {}

    def __getitem__(self, i: int):
        hit = self._cache.get(i)
        if hit is None:
            hit = self._cache[i] = self._fn(self._items[i])
        return hit

    def __len__(self) -> int:
        return len(self._items)


def _abbrev_table(texts: list[str]) -> dict[str, list[str]]:
    """Pinyin initials -> the usual reading(s): the top word and any near-equal rival."""
    counts = Counter(item for t in texts for item in _abbrev_items(t))
    score: dict[str, Counter] = defaultdict(Counter)
    for (ini, word, weight), n in counts.items():
        score[ini][word] += weight * n
    out = {}
    for ini, c in score.items():
        top = c.most_common(2)
        out[ini] = [w for w, n in top if n * 2 >= top[0][1] + 1]
    return out


class Matcher:
    """Ranks FAQs for a message and decides answer / suggest / handoff."""

    def __init__(self, entries: list[FaqEntry], settings: FaqSettings | None = None,
                 semantic: Semantic | None = None):
        self.settings = settings or FaqSettings()
        self.semantic = semantic or shared_semantic(self.settings.embedding_cache)
        self.understanding = shared_understanding()
        s = self.settings
        self.thresholds = Thresholds(s.urgent_threshold, s.caution_threshold, s.intent_threshold,
                                     s.clause_threshold)
        self.reranker = Reranker.load(self.settings.model_file, FEATURES)
        self.version = 0
        self._lock = threading.Lock()
        self.rebuild(entries)

    def rebuild(self, entries) -> None:
        """Full index rebuild (tokenisation is cached, so re-saving an FAQ is cheap)."""
        idx = _Index(list(entries), self.semantic)
        with self._lock:
            self._idx = idx
            self.version += 1

    def __len__(self) -> int:
        return len(self._idx.entries)

    def expand(self, norm: str, idx: _Index | None = None) -> str:
        """Replace pinyin-initial tokens (db, jzz, sqfw) by KB words with those initials."""
        idx = idx or self._idx
        out = []
        for tok in norm.split(" "):
            for part in _latin_runs(tok):
                if is_abbreviation(part):
                    words_for = _split_abbrev(part, idx.abbrev)
                    if words_for:   # 低保怎么申请, not db怎么申请 (the letters match nothing)
                        tok = tok.replace(part, " " + " ".join(words_for) + " ", 1)
            out.append(tok)
        return " ".join(" ".join(out).split())

    def match(self, text: str) -> MatchResult:
        """Safety net and intent guards by meaning, then retrieval, reranking and the decision."""
        norm = normalize(text)
        if not norm:
            return MatchResult("handoff", (), norm)
        idx = self._idx
        qvec = self.semantic.query(norm[:MAX_QUERY_CHARS])
        if not self.settings.use_guards:
            return replace(self.decide(norm, self.rank(norm[:MAX_QUERY_CHARS], qvec=qvec), None),
                           vector=qvec)
        u = self.understanding
        safety = u.safety(qvec, norm, text, self.thresholds, idx.bank)
        parts = clauses(norm) if self.settings.clause_safety else []
        if parts and safety.level != "urgent" and \
                (safety.p_danger >= self.settings.clause_gate or safety.keyword):
            # only a message with some sign of danger pays for reading its clauses one by one
            safety = u.safety(qvec, norm, text, self.thresholds, idx.bank, self.semantic.queries(parts))
        if safety.level:   # nothing FAQ-like for a possible emergency, not even a menu
            return MatchResult("handoff", (), norm, safety.level, safety, None, qvec,
                               u.route(qvec, idx.bank))
        intent, p_intent = u.intent(qvec, idx.bank)
        cands = self.rank(norm[:MAX_QUERY_CHARS], qvec=qvec)   # bound the work on a pasted essay
        g = run_guards(text, norm, urgent=False)
        by_meaning = g is None
        g = g or self._intent_guard(intent, p_intent, cands)
        res = replace(self.decide(norm, cands, g), guard_by_meaning=by_meaning and g is not None)
        if res.decision == "suggest" and self._no_menu(intent, p_intent):
            # 坏了/派人来: a person, not a menu; 好的/1/不对: no menu of guesses
            res = MatchResult("handoff", res.candidates, norm,
                              "action" if intent == "action_request" else None)
        return replace(res, safety=safety, intent=intent, vector=qvec,
                       semantic_route=u.route(qvec, idx.bank))

    def _no_menu(self, intent: str, p: float) -> bool:
        """A report of something broken or a request to send someone, or chit-chat."""
        if intent == "action_request":
            return p >= self.settings.action_threshold
        return intent == "chitchat" and p >= self.thresholds.intent

    def _intent_guard(self, intent: str, p: float, cands: list[Candidate]) -> str | None:
        """Status of a personal case, a complaint or a suggestion is never auto-answered
        (unless the message is all but word for word an FAQ: 开证明要带什么材料 is no case)."""
        if p < self.thresholds.intent:
            return None
        if cands and cands[0].score >= self.settings.intent_override:
            return None
        return {"case_status": "personal_status", "complaint": "complaint",
                "suggestion": "suggestion"}.get(intent)

    def decide(self, norm: str, cands: list[Candidate], g: str | None) -> MatchResult:
        """answer / suggest / handoff from the ranked candidates and the thresholds."""
        s = self.settings
        top = tuple(cands[: s.max_suggestions])
        if g is not None or not norm or not cands:
            return MatchResult("handoff", top, norm, g)
        p1 = cands[0].score
        p2 = cands[1].score if len(cands) > 1 else 0.0
        # no Chinese at all (12345, a url, an English line): never sure enough to answer
        sure = bool(_CJK_WORD.search(self.expand(norm)))
        if sure and p1 >= s.answer_threshold and p1 - p2 >= s.margin:
            return MatchResult("answer", top, norm)
        menu = plausible(cands, s)
        if menu:
            return MatchResult("suggest", menu, norm)
        return MatchResult("handoff", top, norm)

    def rank(self, norm: str, exclude_docs=(), exclude_faq: int | None = None,
             idx: _Index | None = None, qvec: np.ndarray | None = None) -> list[Candidate]:
        """Candidates sorted by calibrated probability."""
        idx = idx or self._idx
        feats, fis = self.features(norm, exclude_docs, exclude_faq, idx, qvec)
        if not fis:
            return []
        p = self.reranker.predict(feats)
        # The message is literally one FAQ's question: the reranker never saw this in training
        # (a held-out question cannot match itself), so trust the exact match.
        exact = idx.exact.get(norm.replace(" ", ""))
        if exact is not None and exact in fis and exclude_faq is None and not exclude_docs:
            i = fis.index(exact)
            p[i] = max(p[i], EXACT_MATCH_SCORE)
        order = np.argsort(-p)
        es = idx.entries
        return [Candidate(es[fis[i]].id, es[fis[i]].question, float(p[i]), es[fis[i]].route)
                for i in order]

    def features(self, norm: str, exclude_docs=(), exclude_faq=None, idx=None,
                 qvec: np.ndarray | None = None):
        """Feature matrix (one row per candidate FAQ) and the candidate FAQ indices."""
        idx = idx or self._idx
        if qvec is None and norm:
            qvec = self.semantic.query(norm)
        sem = None
        if qvec is not None:
            ex = list(exclude_docs) + (idx.faq_docs[exclude_faq] if exclude_faq is not None else [])
            sem = faq_similarity(qvec, idx.doc_vecs, idx.doc_faq_arr, len(idx.entries), ex)
        return candidate_features(self.expand(norm, idx), idx, self.settings.candidate_pool,
                                  exclude_docs, exclude_faq, sem)


def clauses(norm: str, min_chars: int = 4, most: int = 4) -> list[str]:
    """The clauses of a message with more than one (normalised text: punctuation is a space)."""
    parts = [p for p in norm.split(" ") if len("".join(_CJK_WORD.findall(p))) >= min_chars]
    return parts[:most] if len(parts) > 1 else []


def plausible(cands: list[Candidate], s: FaqSettings) -> tuple[Candidate, ...]:
    """Menu options: above the suggest threshold and within `menu_ratio` of the best one,
    so a menu never pads a likely question with unrelated ones."""
    if not cands or cands[0].score < s.suggest_threshold:
        return ()
    floor = max(s.suggest_threshold, s.menu_ratio * cands[0].score)
    return tuple(c for c in cands[: s.max_suggestions] if c.score >= floor)


@lru_cache(maxsize=200_000)
def _word_pinyin(word: str) -> str:
    """' se qu ' for 社区 (only for CJK words of 2+ chars; others match by identity)."""
    if len(word) < 2 or not all("\u4e00" <= c <= "\u9fff" for c in word):
        return ""
    return " " + " ".join(syllables(word)) + " "


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


@lru_cache(maxsize=100_000)
def _bigrams_cached(text: str) -> list[str]:
    return char_bigrams(text)


@lru_cache(maxsize=200_000)
def _abbrev_items(text: str) -> tuple[tuple[str, str, int], ...]:
    """(initials, word, weight) for a question's words and adjacent word pairs (公租+房)."""
    toks = analyse(text)[0]
    out = []
    for i, t in enumerate(toks):
        if len(t) >= 2 and _CJK_WORD.fullmatch(t):
            out.append((initials(t), t, 2))
        if i + 1 < len(toks):
            pair = t + toks[i + 1]
            if 3 <= len(pair) <= 4 and _CJK_WORD.fullmatch(pair):
                out.append((initials(pair), pair, 1))
    return tuple(out)


def _latin_runs(tok: str) -> list[str]:
    import re
    return re.findall(r"[a-z]+", tok)


def _split_abbrev(token: str, table: dict[str, list[str]]) -> list[str]:
    """Split a pinyin-initials token into known words, fewest parts first (dbsq -> 低保 申请)."""
    if token in table:
        return table[token][:2]
    best: list[str] | None = None
    for i in range(2, len(token) - 1):
        a, b = token[:i], token[i:]
        if a in table and b in table:
            cand = table[a][:2] + table[b][:2]
            best = best or cand
    return best or []
