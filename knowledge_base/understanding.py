"""Meaning-based judgements on one message vector: the safety net, intent guards and routing.

All three are embedding classifiers trained offline on hand-written material
(knowledge_base.train_semantic); at run time the live knowledge base's own questions join the
nearest-neighbour banks (they are ordinary questions, and each carries its FAQ's route).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np

from .classifier import EmbeddingClassifier
from .guards import emergency_words

MODELS = Path(__file__).with_name("data") / "semantic"

Level = Literal["urgent", "caution"]


@dataclass(frozen=True)
class Safety:
    """How dangerous the message looks: urgent (full alarm), caution (maybe), or None."""
    level: Level | None
    p_urgent: float          # p(a danger now), the safety model's one output
    p_danger: float          # the same score, compared with the caution threshold
    situation: str | None    # gas, fire, medical … (for the safety guidance)
    keyword: bool            # the lexical emergency patterns fired as well


@dataclass(frozen=True)
class Thresholds:
    urgent: float = 0.8
    caution: float = 0.4
    intent: float = 0.6
    clause: float = 0.9


@dataclass(frozen=True)
class KbBank:
    """The live knowledge base's question vectors and their routes (extra neighbours)."""
    vectors: np.ndarray
    routes: tuple[str, ...]


class Understanding:
    """The four classifiers, loaded once per process (see `shared_understanding`)."""

    def __init__(self, folder: Path = MODELS):
        self.safety_model = EmbeddingClassifier.load(folder / "safety_model.npz")
        self.situation_model = EmbeddingClassifier.load(folder / "situation_model.npz")
        self.intent_model = EmbeddingClassifier.load(folder / "intent_model.npz")
        self.route_model = EmbeddingClassifier.load(folder / "route_model.npz")

    def safety(self, qvec: np.ndarray, norm: str, raw: str, th: Thresholds,
               kb: KbBank | None = None, clause_vecs: np.ndarray | None = None) -> Safety:
        """Urgent, caution or ordinary; the keyword patterns can raise but never lower it.

        `clause_vecs` are the vectors of the message's clauses: an emergency told next to a
        second topic or a procedure question (摔倒了起不来 能不能申请个救护车) stays one."""
        extra = (kb.vectors, 0) if kb is not None else None   # KB questions are ordinary
        Q = qvec[None, :] if clause_vecs is None or not len(clause_vecs) else \
            np.vstack([qvec[None, :], clause_vecs])
        p = self.safety_model.proba(Q, extra)[:, 0]
        p_d = float(p[0])
        # one clause that is clearly an emergency makes the message one; unsure clauses do not
        p_u = max(p_d, float(p[1:].max()) if len(p) > 1 and p[1:].max() >= th.clause else 0.0)
        keyword = emergency_words(norm) or emergency_words(raw or "")
        if p_u >= th.urgent or (keyword and p_d >= th.caution):
            level: Level | None = "urgent"
        elif p_d >= th.caution or keyword:
            level = "caution"
        else:
            level = None
        situation = self.situation(Q.mean(axis=0)) if level else None
        return Safety(level, p_u, p_d, situation, keyword)

    def situation(self, qvec: np.ndarray) -> str:
        p = self.situation_model.proba(qvec)[0]
        return self.situation_model.classes[int(p.argmax())]

    def intent(self, qvec: np.ndarray, kb: KbBank | None = None) -> tuple[str, float]:
        """The message's intent (question, action_request, case_status, complaint, …)."""
        extra = (kb.vectors, 0) if kb is not None else None   # KB questions are questions
        p = self.intent_model.proba(qvec, extra)[0]
        i = int(p.argmax())
        return self.intent_model.classes[i], float(p[i])

    def route(self, qvec: np.ndarray, kb: KbBank | None = None) -> tuple[str, float]:
        """The ticket category by meaning (the live KB's questions vote with their routes)."""
        classes = self.route_model.classes
        extra = None
        if kb is not None and len(kb.routes):
            idx = np.array([classes.index(r) if r in classes else classes.index("other")
                            for r in kb.routes])
            extra = (kb.vectors, idx)
        p = self.route_model.proba(qvec, extra)[0]
        i = int(p.argmax())
        return classes[i], float(p[i])


@lru_cache(maxsize=4)
def shared_understanding(folder: str | None = None) -> Understanding:
    """One set of classifiers per process (they are read-only)."""
    return Understanding(Path(folder) if folder else MODELS)
