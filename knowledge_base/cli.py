"""`faq` command group: ask one question, evaluate on a cases file, retrain the reranker."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Callable

import click

from .settings import FaqSettings, RoutingSettings

DEFAULT_KB = Path(__file__).with_name("default_faq.yaml")


SettingsFor = Callable[[click.Context], tuple[FaqSettings, RoutingSettings]]


def _from_obj(obj, key: str):
    """Settings handed down by a parent CLI: ctx.obj may be a dict or an object."""
    if isinstance(obj, dict):
        return obj.get(key)
    return getattr(obj, key, None)


def settings_from_obj(ctx: click.Context) -> tuple[FaqSettings, RoutingSettings]:
    """FaqSettings/RoutingSettings from the parent CLI's context object, else the defaults."""
    faq = _from_obj(ctx.obj, "faq_settings") or FaqSettings()
    routing = _from_obj(ctx.obj, "routing_settings") or RoutingSettings()
    return faq, routing


def _unchanged(fn):
    return fn


_ROWS = [("top1", "top-1 accuracy (answerable)"), ("top3", "top-3 recall (answerable)"),
         ("precision", "auto-answer precision"), ("coverage", "coverage (answerable auto-answered)"),
         ("one_tap", "one-tap (answer right or in menu)"), ("false_auto", "false auto-answer (null)"),
         ("urgent_auto", "urgent answered or menu (must be 0)"),
         ("route_accuracy", "route accuracy (not auto-answered)"),
         ("urgent_recall", "urgent recall"), ("urgent_false_alarm", "urgent false alarm"),
         ("latency_ms_median", "latency ms median"), ("latency_ms_p95", "latency ms p95"),
         ("n_cases", "cases")]


def faq_commands(settings_for: SettingsFor = settings_from_obj,
                 option: Callable = _unchanged) -> list[click.Command]:
    """The `ask` and `eval` commands. A parent CLI (`linli faq`) passes how its commands find their
    settings (e.g. from its config file) and an option it adds to each (e.g. its --config)."""

    @click.command("ask")
    @click.argument("text")
    @click.option("--kb", type=click.Path(exists=True, dir_okay=False), default=str(DEFAULT_KB),
                  show_default=True, help="FAQ YAML file")
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object")
    @option
    @click.pass_context
    def ask(ctx: click.Context, text: str, kb: str, as_json: bool) -> None:
        """Show how TEXT is normalised, matched, decided and routed."""
        faq_s, routing = settings_for(ctx)
        _ask(text, kb, as_json, faq_s, routing)

    @click.command("eval")
    @click.option("--kb", type=click.Path(exists=True, dir_okay=False), default=str(DEFAULT_KB),
                  show_default=True)
    @click.option("--cases", type=click.Path(exists=True, dir_okay=False), required=True)
    @click.option("--json", "as_json", is_flag=True, help="print one JSON object")
    @click.option("--errors", is_flag=True, help="also list the cases that went wrong")
    @option
    @click.pass_context
    def eval_cmd(ctx: click.Context, kb: str, cases: str, as_json: bool, errors: bool) -> None:
        """Evaluate the matcher and router on a labelled cases file."""
        faq_s, routing = settings_for(ctx)
        _eval(kb, cases, as_json, errors, faq_s, routing)

    return [ask, eval_cmd]


def _ask(text: str, kb: str, as_json: bool, faq_s: FaqSettings, routing: RoutingSettings) -> None:
    from .loader import load_kb
    from .matcher import Matcher
    from .router import route
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


def _eval(kb: str, cases: str, as_json: bool, errors: bool, faq_s: FaqSettings,
          routing: RoutingSettings) -> None:
    from .evaluate import evaluate
    out = evaluate(kb, cases, faq_s, routing, details=errors)
    if as_json:
        click.echo(json.dumps(out, ensure_ascii=False))
        return
    for key, label in _ROWS:
        click.echo(f"{label:<40} {out[key]}")
    for e in out.get("errors", []):
        click.echo(f"  {e['id']}: {e['text']} -> {e['decision']} {e['top'][:2]} "
                   f"route={e['route']} (want {e['expected']}/{e['want_route']})")


@click.group("faq")
@click.pass_context
def faq(ctx: click.Context) -> None:
    """FAQ knowledge base: ask, evaluate."""
    if ctx.obj is None:
        ctx.obj = {}


for _command in faq_commands():
    faq.add_command(_command)


def main() -> None:
    faq(obj={})


if __name__ == "__main__":
    main()
