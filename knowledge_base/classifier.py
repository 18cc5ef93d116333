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
    mlp: dict[str, np.ndarray] | None = None   # optional one-hidden-layer head (single output)

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
        D = self.design(np.atleast_2d(Q), extra)
        if self.mlp is not None:
            m = self.mlp
            h = np.tanh(((D[:, 1:] - m["mu"]) / m["sd"]) @ m["W1"] + m["b1"])
            z = (h @ m["w2"] + m["b2"])[:, None]
        else:
            z = D @ self.W
        return 1 / (1 + np.exp(-np.clip(z, -30, 30)))

    def save(self, path: Path) -> None:
        extra = {f"mlp_{k}": v for k, v in (self.mlp or {}).items()}
        np.savez_compressed(path, classes=np.array(self.classes), W=self.W, mu=self.mu, sd=self.sd,
                            bank=self.bank.astype(np.float16), bank_y=self.bank_y,
                            n_groups=np.array(self.n_groups), **extra)

    @classmethod
    def load(cls, path: Path) -> "EmbeddingClassifier":
        z = np.load(path, allow_pickle=False)
        mlp = {k[4:]: z[k] for k in z.files if k.startswith("mlp_")} or None
        return cls(tuple(str(c) for c in z["classes"]), z["W"], z["mu"], z["sd"],
                   z["bank"].astype(np.float32), z["bank_y"], int(z["n_groups"]), mlp)

    @classmethod
    def fit(cls, X: np.ndarray, Y: np.ndarray, classes: tuple[str, ...], groups: np.ndarray,
            n_groups: int, l2: float = 1e-2) -> "EmbeddingClassifier":
        """Train on vectors X, targets Y (n x n_classes, soft labels allowed) and the
        neighbour group of each row."""
        model = cls(classes, np.zeros(0), X.mean(axis=0), X.std(axis=0) + 1e-6, X, groups, n_groups)
        D = model.design(X, self_exclude=True)   # a message is not its own neighbour
        model.W = np.column_stack([fit_logistic(D, Y[:, c], l2) for c in range(Y.shape[1])])
        return model


def fit_mlp_head(model: EmbeddingClassifier, X: np.ndarray, y: np.ndarray, hidden: int = 64,
                 l2: float = 1e-2, epochs: int = 200, seed: int = 7) -> None:
    """Replace a single-output model's linear head by a small tanh network (Adam, minibatches):
    it separates 'the dog ran off' from 'the child ran off', which one hyperplane does not."""
    D = model.design(X, self_exclude=True)[:, 1:]
    mu, sd = D.mean(axis=0), D.std(axis=0) + 1e-6
    Z = (D - mu) / sd
    rng = np.random.default_rng(seed)
    P = {"W1": rng.normal(0, 1 / np.sqrt(Z.shape[1]), (Z.shape[1], hidden)), "b1": np.zeros(hidden),
         "w2": rng.normal(0, 1 / np.sqrt(hidden), hidden), "b2": np.zeros(1)}
    M = {k: np.zeros_like(v) for k, v in P.items()}
    V = {k: np.zeros_like(v) for k, v in P.items()}
    for _ in range(epochs):
        order = rng.permutation(len(Z))
        for start in range(0, len(Z), 128):
            b = order[start:start + 128]
            G = _mlp_grads(P, Z[b], y[b], l2)
            for k in P:   # Adam
                M[k] = 0.9 * M[k] + 0.1 * G[k]
                V[k] = 0.999 * V[k] + 0.001 * G[k] ** 2
                P[k] -= 3e-3 * M[k] / (np.sqrt(V[k]) + 1e-8)
    model.mlp = {"mu": mu, "sd": sd, **P}


def _mlp_grads(P: dict, Z: np.ndarray, y: np.ndarray, l2: float) -> dict:
    h = np.tanh(Z @ P["W1"] + P["b1"])
    p = 1 / (1 + np.exp(-(h @ P["w2"] + P["b2"][0])))
    g = (p - y) / len(y)
    gh = np.outer(g, P["w2"]) * (1 - h ** 2)
    return {"W1": Z.T @ gh + l2 * P["W1"], "b1": gh.sum(axis=0), "w2": h.T @ g + l2 * P["w2"],
            "b2": np.array([g.sum()])}


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
