"""Ticket routing: configured keyword/regex rules first, then the nearest FAQ's route."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal

from .guards import is_urgent
from .normalize import normalize
from .settings import RoutingRule, RoutingSettings

_GUARD_ROUTE = {"complaint": ("complaint", "high"), "suggestion": ("suggestion", "low")}
_PRIORITY = {"complaint": "high", "suggestion": "low", "other": "low"}


@dataclass(frozen=True)
class Route:
    category: str
    priority: Literal["urgent", "high", "normal", "low"]
    urgent: bool
    rule: str | None


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def _rule_matches(rule: RoutingRule, raw: str, norm: str) -> bool:
    if any(k and (k in norm or k in raw) for k in rule.keywords):
        return True
    return any(_compiled(p).search(norm) or _compiled(p).search(raw) for p in rule.patterns)


def route(text: str, result, rules: RoutingSettings | None = None) -> Route:
    """Category and priority for a message that goes to staff (or is logged)."""
    rules = rules or RoutingSettings()
    norm = result.normalized if result is not None else normalize(text)
    if result is not None and result.guard == "urgent":
        return Route("urgent", "urgent", True, "guard:urgent")
    if result is None and is_urgent(norm):   # no understanding at hand: the patterns decide
        return Route("urgent", "urgent", True, "guard:urgent")
    if result is not None and result.guard == "caution":   # maybe an emergency: a person, fast
        return Route("urgent", "high", False, "guard:caution")
    # a complaint about the service or a suggestion is that, whatever its topic (暖气 …)
    if result is not None and result.guard in _GUARD_ROUTE \
            and not getattr(result, "guard_by_meaning", False):
        cat, prio = _GUARD_ROUTE[result.guard]
        return Route(cat, prio, False, f"guard:{result.guard}")
    meaning = getattr(result, "semantic_route", None)
    if rules.prefer == "semantic" and meaning and meaning[1] >= rules.semantic_min_score:
        return Route(meaning[0], _PRIORITY.get(meaning[0], "normal"), False, "semantic")
    for rule in rules.rules:
        if _rule_matches(rule, text or "", norm):
            return Route(rule.category, rule.priority, rule.priority == "urgent", rule.name)
    if result is not None and result.candidates:
        top = result.candidates[0]
        if top.score >= rules.fallback_min_score:
            return Route(getattr(top, "route", None) or rules.default_category, "normal",
                         False, f"faq:{top.faq_id}")
    if meaning and meaning[1] >= rules.semantic_min_score:   # nothing near in the KB
        return Route(meaning[0], _PRIORITY.get(meaning[0], "normal"), False, "semantic")
    if result is not None and result.guard in _GUARD_ROUTE:   # a complaint by meaning only
        cat, prio = _GUARD_ROUTE[result.guard]
        return Route(cat, prio, False, f"guard:{result.guard}")
    return Route(rules.default_category, "low" if rules.default_category == "other" else "normal",
                 False, None)
