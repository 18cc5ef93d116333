"""`faq` command group: ask one question, evaluate on a cases file, retrain the reranker."""
from __future__ import annotations

import json
from pathlib import Path

import click

DEFAULT_KB = Path(__file__).with_name("default_faq.yaml")


def _from_obj(obj, key: str):
    """Settings handed down by a parent CLI: ctx.obj may be a dict or an object."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def _settings(ctx: click.Context):
    """FaqSettings/RoutingSettings from the parent CLI's context object, else the defaults."""
    from .settings import FaqSettings, RoutingSettings
    faq = _from_obj(ctx.obj, "faq_settings") or FaqSettings()
    routing = _from_obj(ctx.obj, "routing_settings") or RoutingSettings()
    return faq, routing


@click.group("faq")
@click.pass_context
def faq(ctx: click.Context) -> None:
    """FAQ knowledge base: ask, evaluate."""
    if ctx.obj is None:
        ctx.obj = {}


@faq.command("ask")
@click.argument("text")
@click.option("--kb", type=click.Path(exists=True, dir_okay=False), default=str(DEFAULT_KB),
              show_default=True, help="FAQ YAML file")
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.pass_context
def ask(ctx: click.Context, text: str, kb: str, as_json: bool) -> None:
    """Show how TEXT is normalised, matched, decided and routed."""
    from .loader import load_kb
    from .matcher import Matcher
    from .router import route
    faq_s, routing = _settings(ctx)
    m = Matcher(load_kb(kb), faq_s)
    res = m.match(text)
    r = route(text, res, routing)
    if as_json:
        click.echo(json.dumps({
            "normalized": res.normalized, "decision": res.decision, "guard": res.guard,
            "candidates": [{"faq_id": c.faq_id, "question": c.question, "score": round(c.score, 4)}
                           for c in res.candidates],
            "route": {"category": r.category, "priority": r.priority, "urgent": r.urgent,
                      "rule": r.rule}}, ensure_ascii=False))
        return
    click.echo(f"normalised: {res.normalized}")
    for i, c in enumerate(res.candidates, 1):
        click.echo(f"  {i}. {c.score:.3f}  {c.faq_id:<24} {c.question}")
    click.echo(f"decision:   {res.decision}" + (f"  (guard: {res.guard})" if res.guard else ""))
    click.echo(f"route:      {r.category} / {r.priority}" + (" URGENT" if r.urgent else "")
               + (f"  [rule {r.rule}]" if r.rule else ""))


_ROWS = [("top1", "top-1 accuracy (answerable)"), ("top3", "top-3 recall (answerable)"),
         ("precision", "auto-answer precision"), ("coverage", "coverage (answerable auto-answered)"),
         ("one_tap", "one-tap (answer right or in menu)"), ("false_auto", "false auto-answer (null)"),
         ("urgent_auto", "urgent answered or menu (must be 0)"),
         ("route_accuracy", "route accuracy (not auto-answered)"),
         ("urgent_recall", "urgent recall"), ("urgent_false_alarm", "urgent false alarm"),
         ("latency_ms_median", "latency ms median"), ("latency_ms_p95", "latency ms p95"),
         ("n_cases", "cases")]


@faq.command("eval")
@click.option("--kb", type=click.Path(exists=True, dir_okay=False), default=str(DEFAULT_KB),
              show_default=True)
@click.option("--cases", type=click.Path(exists=True, dir_okay=False), required=True)
@click.option("--json", "as_json", is_flag=True, help="print one JSON object")
@click.option("--errors", is_flag=True, help="also list the cases that went wrong")
@click.pass_context
def eval_cmd(ctx: click.Context, kb: str, cases: str, as_json: bool, errors: bool) -> None:
    """Evaluate the matcher and router on a labelled cases file."""
    from .evaluate import evaluate
    faq_s, routing = _settings(ctx)
    out = evaluate(kb, cases, faq_s, routing, details=errors)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    for key, label in _ROWS:
        click.echo(f"{label:<40} {out[key]}")
    for e in out.get("errors", []):
        click.echo(f"  {e['id']}: {e['text']} -> {e['decision']} {e['top'][:2]} "
                   f"route={e['route']} (want {e['expected']}/{e['want_route']})")


def main() -> None:
    faq(obj={})


if __name__ == "__main__":
    main()
