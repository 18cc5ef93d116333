"""The learned reranker: turns (message, candidate) features into a calibrated probability.

Two model kinds share one JSON file format: logistic regression (`weights`) and a one-hidden-layer
tanh network (`mlp`, a few hundred parameters). Both are trained by knowledge_base.train.
"""
from __future__ import annotations

import json
from pathlib import Path

import numpy as np

MODEL_FILE = Path(__file__).with_name("reranker.json")


class Reranker:
    """Probability that each candidate row answers the message."""

    def __init__(self, data: dict, features: tuple[str, ...]):
        self.kind = "mlp" if "mlp" in data else "logistic"
        if self.kind == "mlp":
            m = data["mlp"]
            self.mu, self.sd = np.array(m["mu"]), np.array(m["sd"])
            self.W1, self.b1 = np.array(m["W1"]), np.array(m["b1"])
            self.w2, self.b2 = np.array(m["w2"]), float(m["b2"])
        else:
            self.w = np.array([data["weights"].get(f, 0.0) for f in features])
        if data.get("features") and list(data["features"]) != list(features):
            raise ValueError("reranker model was trained on a different feature set; retrain it")

    @classmethod
    def load(cls, path, features: tuple[str, ...]) -> "Reranker":
        p = Path(path) if path else MODEL_FILE
        return cls(json.loads(p.read_text(encoding="utf-8")), features)

    def predict(self, F: np.ndarray) -> np.ndarray:
        if self.kind == "mlp":
            h = np.tanh(((F - self.mu) / self.sd) @ self.W1 + self.b1)
            z = h @ self.w2 + self.b2
        else:
            z = F @ self.w
        return 1 / (1 + np.exp(-np.clip(z, -30, 30)))
