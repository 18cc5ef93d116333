"""The live knowledge base's reading of a resident's text, computed once per delivery.

The safety net, the intent guards, the FAQ ranking and routing all come from one
`Matcher.match()` (one sentence embedding); handlers that need any part of it ask here, so
the urgent handler, the flood limiter and the FAQ handler never disagree or pay twice.
"""
from __future__ import annotations

import logging

log = logging.getLogger("linli.understand")

_KEY = "_understood"


def understand(ctx, text: str):
    """knowledge_base.matcher.MatchResult for text (cached on this delivery's context)."""
    cache = ctx.notes.setdefault(_KEY, {})
    if text not in cache:
        cache[text] = ctx.services.matchers.current(ctx.session).match(text)
    return cache[text]


def safety_level(ctx, text: str) -> str | None:
    """'urgent', 'caution' or None for a resident's text."""
    result = understand(ctx, text)
    return result.guard if result.guard in ("urgent", "caution") else None
