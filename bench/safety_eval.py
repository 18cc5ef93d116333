"""Per-situation recall of the safety net on hand-written material it was never trained on.

    .venv/bin/python bench/safety_eval.py [--kb FILE] [--cases knowledge_base/data/semantic/safety_eval.yaml]

Urgent messages: share given the full alarm (recall) and the alarm or caution (caught).
Hard negatives: share given the full alarm (false alarm) or caution.
"""
from __future__ import annotations

import argparse
import collections
from pathlib import Path

import yaml
import json

from knowledge_base.settings import FaqSettings

from knowledge_base.loader import load_kb
from knowledge_base.matcher import Matcher

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--kb", default=str(ROOT / "knowledge_base/default_faq.yaml"))
    ap.add_argument("--cases", default=str(ROOT / "knowledge_base/data/semantic/safety_eval.yaml"))
    ap.add_argument("--show", action="store_true", help="list the misses")
    ap.add_argument("--settings", default="{}", help="FaqSettings overrides as JSON")
    a = ap.parse_args()
    m = Matcher(load_kb(a.kb), FaqSettings(**json.loads(a.settings)))
    data = yaml.safe_load(Path(a.cases).read_text(encoding="utf-8"))
    print(f"{'situation':<14} {'n':>3} {'recall':>7} {'caught':>7}  caution-material: n caught")
    tot = collections.Counter()
    for name, sit in data["situations"].items():
        levels = [m.match(t).guard for t in sit["urgent"]]
        cl = [m.match(t).guard for t in sit.get("caution", [])]
        rec = sum(g == "urgent" for g in levels) / len(levels)
        caught = sum(g in ("urgent", "caution") for g in levels) / len(levels)
        cc = sum(g in ("urgent", "caution") for g in cl)
        tot.update(n=len(levels), urgent=sum(g == "urgent" for g in levels),
                   caught=sum(g in ("urgent", "caution") for g in levels), cn=len(cl), cc=cc)
        print(f"{name:<14} {len(levels):>3} {rec:>7.2f} {caught:>7.2f}  {len(cl):>3} {cc:>3}")
        if a.show:
            for t, g in zip(sit["urgent"], levels):
                if g != "urgent":
                    print("    missed:" if g is None else f"    {g}:", t)
    neg = [(g, t) for group in data["negatives"].values() for t in group for g in [m.match(t).guard]]
    fa = sum(g == "urgent" for g, _ in neg) / len(neg)
    ca = sum(g == "caution" for g, _ in neg) / len(neg)
    print(f"{'ALL':<14} {tot['n']:>3} {tot['urgent'] / tot['n']:>7.3f} {tot['caught'] / tot['n']:>7.3f}"
          f"  {tot['cn']:>3} {tot['cc']:>3}")
    print(f"hard negatives: n={len(neg)} false alarm {fa:.3f} caution {ca:.3f}")
    if a.show:
        for g, t in neg:
            if g in ("urgent", "caution"):
                print(f"    negative {g}:", t)


if __name__ == "__main__":
    main()
