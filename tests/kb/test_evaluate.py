"""evaluate() and the CLI on the shared evaluation data (skipped when it is not checked out)."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from knowledge_base.cli import faq
from knowledge_base.evaluate import evaluate

SHARED = Path(__file__).parents[2].parent / "shared" / "eval"
KB, CASES = SHARED / "faq_kb.yaml", SHARED / "dev_queries.yaml"
needs_shared = pytest.mark.skipif(not (KB.exists() and CASES.exists()),
                                  reason=f"shared evaluation data not found at {SHARED}")
KEYS = {"top1", "top3", "precision", "coverage", "one_tap", "false_auto", "urgent_auto", "n_cases",
        "latency_ms_median", "route_accuracy", "urgent_recall", "urgent_false_alarm",
        "urgent_caught", "caution_rate"}


@needs_shared
def test_evaluate_on_dev():
    out = evaluate(KB, CASES)
    assert KEYS <= set(out)
    assert out["urgent_auto"] == 0
    assert out["urgent_caught"] == 1.0          # every emergency: full alarm or caution
    assert out["urgent_recall"] >= 0.9 and out["urgent_false_alarm"] <= 0.02
    assert out["caution_rate"] <= 0.05
    assert out["n_cases"] > 100
    assert out["precision"] >= 0.9 and out["top3"] >= 0.9


@needs_shared
def test_cli_eval_json():
    res = CliRunner().invoke(faq, ["eval", "--kb", str(KB), "--cases", str(CASES), "--json"], obj={})
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["urgent_auto"] == 0


def test_cli_ask_default_kb():
    res = CliRunner().invoke(faq, ["ask", "俺家暖气不热 咋办"], obj={})
    assert res.exit_code == 0, res.output
    assert "heating_not_warm" in res.output and "decision:" in res.output


def test_cli_eval_table_on_small_cases(tmp_path):
    cases = tmp_path / "c.yaml"
    cases.write_text("queries:\n"
                     "  - {id: a, text: 低保怎么申请, expected: subsistence_allowance, route: aid, urgent: false}\n"
                     "  - {id: b, text: 着火了 快来人, expected: null, route: urgent, urgent: true}\n",
                     encoding="utf-8")
    res = CliRunner().invoke(faq, ["eval", "--cases", str(cases)], obj={})
    assert res.exit_code == 0, res.output
    assert "urgent answered or menu (must be 0)" in res.output


def test_cli_uses_settings_from_parent_context():
    from knowledge_base.settings import FaqSettings
    strict = FaqSettings(answer_threshold=1.0, suggest_threshold=1.0, margin=1.0)
    res = CliRunner().invoke(faq, ["ask", "低保怎么申请", "--json"], obj={"faq_settings": strict})
    assert res.exit_code == 0, res.output
    assert json.loads(res.output)["decision"] == "handoff"
    res = CliRunner().invoke(faq, ["ask", "低保怎么申请", "--json"])
    assert json.loads(res.output)["decision"] == "answer"


def test_summarise_counts_by_definition():
    from knowledge_base.evaluate import summarise
    from knowledge_base.matcher import Candidate, MatchResult
    from knowledge_base.router import Route

    def row(expected, decision, ids, route="consult", want_route="consult", urgent=False,
            routed_urgent=False):
        res = MatchResult(decision, tuple(Candidate(i, i, 0.5) for i in ids), "x")
        case = {"expected": expected, "route": want_route, "urgent": urgent}
        ok = {expected} - {None}
        return {"case": case, "res": res, "ok": ok, "ids": list(ids), "ms": 1.0,
                "route": Route(route, "urgent" if routed_urgent else "normal", routed_urgent, None)}

    rows = [
        row("a", "answer", ["a", "b"]),                 # right auto-answer
        row("a", "answer", ["b", "a"]),                 # wrong auto-answer
        row("b", "suggest", ["a", "c", "b"]),           # right FAQ in the menu
        row("c", "handoff", ["a", "b", "d"], route="other"),  # missed, routed wrong
        row(None, "answer", ["a"]),                     # false auto-answer
        row(None, "handoff", ["a"], route="urgent", want_route="urgent", urgent=True,
            routed_urgent=True),
    ]
    out = summarise(rows)
    assert out["top1"] == 0.25 and out["top3"] == 0.75
    assert out["precision"] == round(1 / 3, 4) and out["coverage"] == 0.5
    assert out["one_tap"] == 0.5 and out["false_auto"] == 0.5
    assert out["urgent_auto"] == 0 and out["urgent_recall"] == 1.0
    assert out["urgent_false_alarm"] == 0.0
    assert out["route_accuracy"] == round(2 / 3, 4)


@needs_shared
def test_evaluate_on_extra_cases():
    out = evaluate(KB, Path(__file__).parent / "data" / "extra_cases.yaml")
    # every emergency gets the alarm or the caution response, none an answer or a menu; the full
    # alarm on at least 5 of these 6 (the goal is >= .9 on larger sets)
    assert out["urgent_auto"] == 0 and out["urgent_caught"] == 1.0 and out["urgent_recall"] >= 0.8
    assert out["urgent_false_alarm"] <= 0.02   # the issue-10 goal on ordinary traffic
    assert out["precision"] >= 0.9 and out["one_tap"] >= 0.9
