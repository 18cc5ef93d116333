"""Train the semantic classifiers (safety net, intent guards, routing) from the hand-written
material in data/semantic/ and the product's sample FAQ — never from evaluation messages.

    .venv/bin/python -m knowledge_base.train_semantic            # writes data/semantic/*.npz
"""
from __future__ import annotations

from pathlib import Path

import click
import numpy as np
import yaml

from .classifier import EmbeddingClassifier, fit_mlp_head
from .loader import load_kb
from .normalize import normalize
from .semantic import Semantic, shared_semantic

DATA = Path(__file__).with_name("data") / "semantic"
SAMPLE_KB = Path(__file__).with_name("default_faq.yaml")
SAFETY_CLASSES = ("ordinary", "caution", "urgent")
INTENTS = ("question", "action_request", "case_status", "complaint", "suggestion", "chitchat")
ROUTE_CLASSES = ("consult", "certificate", "repair", "dispute", "complaint", "aid", "activity",
                 "suggestion", "other")


def material(name: str) -> dict:
    return yaml.safe_load((DATA / name).read_text(encoding="utf-8"))


def kb_questions(path=SAMPLE_KB) -> list[tuple[str, str]]:
    """(question, route) for every wording of a knowledge base."""
    return [(q, e.route) for e in load_kb(path) for q in e.all_questions]


def vectors(sem: Semantic, texts: list[str]) -> np.ndarray:
    return sem.texts([normalize(t) for t in texts])


def _onehot(labels: list, classes: tuple[str, ...]) -> np.ndarray:
    Y = np.zeros((len(labels), len(classes)))
    for i, lab in enumerate(labels):
        Y[i, classes.index(lab)] = 1.0
    return Y


SAFETY_FILES = ("safety_train.yaml", "safety_train_more.yaml")


def situations() -> dict[str, dict]:
    """Urgent and caution material per situation, from every safety training file."""
    out: dict[str, dict] = {}
    for name in SAFETY_FILES:
        if not (DATA / name).exists():
            continue
        for key, sit in (material(name).get("situations") or {}).items():
            got = out.setdefault(key, {"urgent": [], "caution": []})
            got["urgent"] += sit.get("urgent") or []
            got["caution"] += sit.get("caution") or []
    return out


def negatives() -> list[str]:
    files = ("safety_negatives.yaml", "negatives_outages.yaml") + SAFETY_FILES
    return [t for name in files if (DATA / name).exists()
            for group in (material(name).get("negatives") or {}).values() for t in group]


def safety_rows() -> tuple[list[str], list[str]]:
    """Urgent and caution material per situation; every other text is ordinary traffic."""
    texts, labels = [], []
    for sit in situations().values():
        texts += sit["urgent"] + sit["caution"]
        labels += ["urgent"] * len(sit["urgent"]) + ["caution"] * len(sit["caution"])
    ordinary = negatives()
    ordinary += [t for group in material("guards_train.yaml")["guards"].values() for t in group]
    ordinary += [t for group in material("routing_train.yaml")["routes"].values() for t in group]
    ordinary += [q for q, _ in kb_questions()] + product_phrases()
    return texts + ordinary, labels + ["ordinary"] * len(ordinary)


def product_phrases() -> list[str]:
    """The desk's own commands (转人工, 我的工单, 满意 …): ordinary, whatever they resemble."""
    return [str(p) for p in material("product_phrases.yaml")["phrases"]]


def situation_rows() -> tuple[list[str], list[str], tuple[str, ...]]:
    sits = situations()
    texts, labels = [], []
    for name, sit in sits.items():
        texts += sit["urgent"] + sit["caution"]
        labels += [name] * (len(sit["urgent"]) + len(sit["caution"]))
    return texts, labels, tuple(sits)


def intent_rows() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for name, group in material("guards_train.yaml")["guards"].items():
        texts += group
        labels += [name] * len(group)
    qs = [q for q, _ in kb_questions()]
    cmds = product_phrases()
    return texts + qs + cmds, labels + ["question"] * len(qs) + ["chitchat"] * len(cmds)


def route_rows() -> tuple[list[str], list[str]]:
    texts, labels = [], []
    for name, group in material("routing_train.yaml")["routes"].items():
        texts += group
        labels += [name] * len(group)
    return texts, labels


def _multi(sem: Semantic, texts: list[str], labels: list[str], classes) -> EmbeddingClassifier:
    groups = np.array([classes.index(lab) for lab in labels])
    return EmbeddingClassifier.fit(vectors(sem, texts), _onehot(labels, classes), tuple(classes),
                                   groups, len(classes))


def train_all(sem: Semantic, out: Path = DATA) -> dict[str, EmbeddingClassifier]:
    """Fit and save the four models; returns them by name."""
    models = {}
    t, y = safety_rows()
    # one output, p(danger now): urgent 1, caution 0.5 (it may be), ordinary 0
    target = np.array([[{"urgent": 1.0, "caution": 0.5, "ordinary": 0.0}[lab]] for lab in y])
    groups = np.array([SAFETY_CLASSES.index(lab) for lab in y])
    X = vectors(sem, t)
    models["safety"] = EmbeddingClassifier.fit(X, target, ("danger",), groups, 3)
    fit_mlp_head(models["safety"], X, target[:, 0])
    t, y, sits = situation_rows()
    models["situation"] = _multi(sem, t, y, sits)
    models["intent"] = _multi(sem, *intent_rows(), INTENTS)
    models["route"] = _multi(sem, *route_rows(), ROUTE_CLASSES)
    for name, m in models.items():
        m.save(out / f"{name}_model.npz")
    return models


@click.command()
@click.option("--out", default=str(DATA), show_default=True, type=click.Path(file_okay=False))
def main(out: str) -> None:
    """Train the semantic classifiers and write them next to their material."""
    models = train_all(shared_semantic(), Path(out))
    for name, m in models.items():
        click.echo(f"{name}: {len(m.bank_y)} examples, classes {', '.join(m.classes)}")


if __name__ == "__main__":
    main()
