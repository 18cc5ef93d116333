"""The live knowledge base's reading of a resident's text, computed once per delivery.

The safety net, the intent guards, the FAQ ranking and routing all come from one
`Matcher.match()` (one sentence embedding); handlers that need any part of it ask here, so
the urgent handler, the flood limiter and the FAQ handler never disagree or pay twice.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from bot.pipeline import Context

if TYPE_CHECKING:
    from knowledge_base.matcher import MatchResult


def understand(ctx: Context, text: str) -> MatchResult:
    """The live matcher's reading of text (cached on this delivery's context)."""
    cache = ctx.understood
    if text not in cache:
        cache[text] = ctx.services.matchers.current(ctx.session).match(text)
    return cache[text]


def safety_level(ctx: Context, text: str) -> str | None:
    """'urgent', 'caution' or None for a resident's text."""
    result = understand(ctx, text)
    return result.guard if result.guard in ("urgent", "caution") else None
