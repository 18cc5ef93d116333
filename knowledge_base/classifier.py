"""Small classifiers over sentence embeddings: softmax regression on standardised vectors plus
nearest-neighbour similarities to the labelled material (numpy only, trained offline).

Used three times: the safety net (ordinary / caution / urgent), the intent guards (question,
action request, case status, complaint, suggestion, chit-chat) and ticket routing. A model file
(.npz) holds the weights, the standardisation and the material's vectors (float16).
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

KNN_K = 3
KNN_SCALE = 10.0   # cosine gaps of e5 are small; scale them to the standardised columns' range


@dataclass
class EmbeddingClassifier:
    """p(class | message vector): one-vs-rest logistic regressions over the standardised vector
    and the similarities to each group of the labelled material (its nearest neighbours)."""

    classes: tuple[str, ...]     # output columns
    W: np.ndarray                # (1 + dim + n_groups) x n_classes
    mu: np.ndarray
    sd: np.ndarray
    bank: np.ndarray             # material vectors (n x dim)
    bank_y: np.ndarray           # neighbour group per material vector
    n_groups: int

    def knn(self, Q: np.ndarray, extra: tuple[np.ndarray, object] | None = None,
            self_exclude: bool = False) -> np.ndarray:
        """Mean of the top-k similarities to each group's material (optionally more material)."""
        bank, ys = self.bank, self.bank_y
        if extra is not None and len(extra[0]):   # (vectors, group index or indices)
            bank = np.vstack([bank, extra[0]])
            ys = np.concatenate([ys, np.broadcast_to(np.asarray(extra[1]), (len(extra[0]),))])
        S = Q @ bank.T
        if self_exclude:
            np.fill_diagonal(S, -1.0)
        out = np.zeros((len(Q), self.n_groups))
        for c in range(self.n_groups):
            Sc = S[:, ys == c]
            if Sc.shape[1]:
                k = min(KNN_K, Sc.shape[1])
                out[:, c] = np.sort(Sc, axis=1)[:, -k:].mean(axis=1)
        return out * KNN_SCALE

    def design(self, Q: np.ndarray, extra=None, self_exclude: bool = False) -> np.ndarray:
        Z = (Q - self.mu) / self.sd
        return np.hstack([np.ones((len(Q), 1)), Z, self.knn(Q, extra, self_exclude)])

    def proba(self, Q: np.ndarray, extra=None) -> np.ndarray:
        """Per-class probabilities (one-vs-rest), one row per message vector."""
        z = self.design(np.atleast_2d(Q), extra) @ self.W
        return 1 / (1 + np.exp(-np.clip(z, -30, 30)))

    def save(self, path: Path) -> None:
        np.savez_compressed(path, classes=np.array(self.classes), W=self.W, mu=self.mu, sd=self.sd,
                            bank=self.bank.astype(np.float16), bank_y=self.bank_y,
                            n_groups=np.array(self.n_groups))

    @classmethod
    def load(cls, path: Path) -> "EmbeddingClassifier":
        z = np.load(path, allow_pickle=False)
        return cls(tuple(str(c) for c in z["classes"]), z["W"], z["mu"], z["sd"],
                   z["bank"].astype(np.float32), z["bank_y"], int(z["n_groups"]))

    @classmethod
    def fit(cls, X: np.ndarray, Y: np.ndarray, classes: tuple[str, ...], groups: np.ndarray,
            n_groups: int, l2: float = 1e-2) -> "EmbeddingClassifier":
        """Train on vectors X, targets Y (n x n_classes, soft labels allowed) and the
        neighbour group of each row."""
        model = cls(classes, np.zeros(0), X.mean(axis=0), X.std(axis=0) + 1e-6, X, groups, n_groups)
        D = model.design(X, self_exclude=True)   # a message is not its own neighbour
        model.W = np.column_stack([fit_logistic(D, Y[:, c], l2) for c in range(Y.shape[1])])
        return model


def fit_logistic(X: np.ndarray, y: np.ndarray, l2: float = 1e-2, iters: int = 100) -> np.ndarray:
    """L2-regularised logistic regression (soft labels allowed) by Newton's method."""
    w = np.zeros(X.shape[1])
    reg = np.full(X.shape[1], l2)
    reg[0] = 0.0
    for _ in range(iters):
        p = 1 / (1 + np.exp(-np.clip(X @ w, -30, 30)))
        g = X.T @ (p - y) / len(y) + reg * w
        H = (X * (p * (1 - p))[:, None]).T @ X / len(y) + np.diag(reg + 1e-9)
        step = np.linalg.solve(H, g)
        w -= step
        if np.abs(step).max() < 1e-7:
            break
    return w
