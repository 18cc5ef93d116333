"""Offline evaluation of the matcher and router on a labelled cases file."""
from __future__ import annotations

import statistics
import time
from pathlib import Path

import yaml

from .loader import load_kb
from .matcher import Matcher
from .router import route
from .settings import FaqSettings, RoutingSettings


def load_cases(path) -> list[dict]:
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return list(data.get("queries", data if isinstance(data, list) else []))


def _ratio(a: float, b: float) -> float:
    return round(a / b, 4) if b else 0.0


def run_cases(matcher: Matcher, cases: list[dict], routing: RoutingSettings) -> list[dict]:
    """Match and route every case; one row per case with what happened."""
    rows = []
    for c in cases:
        t0 = time.perf_counter()
        res = matcher.match(c["text"])
        ms = (time.perf_counter() - t0) * 1000
        r = route(c["text"], res, routing)
        ok = {c.get("expected")} | set(c.get("also_acceptable") or []) - {None}
        ids = [x.faq_id for x in res.candidates]
        rows.append({"case": c, "res": res, "route": r, "ms": ms, "ok": ok, "ids": ids})
    return rows


def summarise(rows: list[dict], max_suggestions: int = 3) -> dict:
    """The metrics described in the brief (see knowledge_base/README or cli help)."""
    ans = [r for r in rows if r["case"].get("expected")]
    null = [r for r in rows if not r["case"].get("expected")]
    auto = [r for r in rows if r["res"].decision == "answer"]
    auto_ok = [r for r in auto if r["ids"] and r["ids"][0] in r["ok"]]
    top1 = sum(1 for r in ans if r["ids"][:1] and r["ids"][0] in r["ok"])
    top3 = sum(1 for r in ans if set(r["ids"][:3]) & r["ok"])
    cov = sum(1 for r in ans if r["res"].decision == "answer")
    one_tap = sum(1 for r in ans if (r["res"].decision == "answer" and r["ids"][0] in r["ok"]) or
                  (r["res"].decision == "suggest" and set(r["ids"][:max_suggestions]) & r["ok"]))
    urgent = [r for r in rows if r["case"].get("urgent")]
    non_urgent = [r for r in rows if not r["case"].get("urgent")]
    routed = [r for r in rows if r["res"].decision != "answer"]
    return {
        "n_cases": len(rows), "n_answerable": len(ans), "n_null": len(null),
        "top1": _ratio(top1, len(ans)), "top3": _ratio(top3, len(ans)),
        "precision": _ratio(len(auto_ok), len(auto)), "coverage": _ratio(cov, len(ans)),
        "one_tap": _ratio(one_tap, len(ans)),
        "false_auto": _ratio(sum(1 for r in null if r["res"].decision == "answer"), len(null)),
        "urgent_auto": sum(1 for r in urgent if r["res"].decision != "handoff"),
        "route_accuracy": _ratio(sum(1 for r in routed
                                     if r["route"].category == r["case"].get("route")), len(routed)),
        "urgent_recall": _ratio(sum(1 for r in urgent if r["route"].urgent), len(urgent)),
        # the share of urgent messages given the full alarm or the caution response
        "urgent_caught": _ratio(sum(1 for r in urgent if r["res"].guard in ("urgent", "caution")),
                                len(urgent)),
        "caution_rate": _ratio(sum(1 for r in non_urgent if r["res"].guard == "caution"),
                               len(non_urgent)),
        "urgent_false_alarm": _ratio(sum(1 for r in non_urgent if r["route"].urgent),
                                     len(non_urgent)),
        "latency_ms_median": round(statistics.median(r["ms"] for r in rows), 3) if rows else 0.0,
        "latency_ms_p95": round(sorted(r["ms"] for r in rows)[int(0.95 * (len(rows) - 1))], 3)
        if rows else 0.0,
    }


def evaluate(kb_path, cases_path, settings: FaqSettings | None = None,
             routing: RoutingSettings | None = None, details: bool = False) -> dict:
    """Run the matcher and router over a cases file and return the metrics as a dict."""
    settings = settings or FaqSettings()
    matcher = Matcher(load_kb(kb_path), settings)
    rows = run_cases(matcher, load_cases(cases_path), routing or RoutingSettings())
    out = summarise(rows, settings.max_suggestions)
    if details:
        out["errors"] = [
            {"id": r["case"].get("id"), "text": r["case"]["text"], "expected": r["case"].get("expected"),
             "decision": r["res"].decision, "guard": r["res"].guard,
             "top": [(c.faq_id, round(c.score, 3)) for c in r["res"].candidates],
             "route": r["route"].category, "want_route": r["case"].get("route")}
            for r in rows if _is_error(r)]
    return out


def _is_error(r: dict) -> bool:
    d = r["res"].decision
    exp = r["case"].get("expected")
    if exp:
        return d != "answer" or r["ids"][0] not in r["ok"]
    return d == "answer" or (d != "answer" and r["route"].category != r["case"].get("route"))
