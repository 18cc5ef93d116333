"""Is a resident's new message about the same matter as their open ticket? Lexical signals for now.

`same_matter` is the one place that decides; the understanding work (issue 10) can swap its lexical
overlap for sentence embeddings without touching the handlers that call it.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from functools import lru_cache

JOIN_AT = 0.6  # at or above: the message joins the open ticket
NEW_BELOW = 0.35  # below: a new matter; in between: ask the resident once
STALE_AFTER = timedelta(hours=12)  # an open ticket idle this long stops collecting on its own

_STOP = frozenset("""我 我家 家里 我们 你们 您 你 的 了 是 在 有 和 就 都 也 还 又 很 太 吗 呢 吧 啊 呀 哦 嗯 请问 请 问 一下
    想 想问 问下 能 能不能 可以 怎么 怎么办 如何 什么 哪里 哪儿 在哪 谁 多少 几 个 好 好的 谢谢 麻烦 坏 坏了 那 这 那个 这个
    一直 现在 今天 已经 没有 不 没 帮 帮忙 看看 小区 社区 问题 事情""".split())
_CUE_SAME = re.compile(r"还没|还是没|还是不|还不|还在|依然|仍然|又坏|又漏|怎么还|快点|尽快|催一下|什么时候来|啥时候|进度|怎么样了|师傅|刚才|刚刚|上面|之前|前面|那件事|这个事|补充|"
                       r"再说一下|忘了说|照片|图片|位置|地址|电话")
_CUE_NEW = re.compile(r"另外|还有个|还有一个|还想问|还要问|顺便问|顺便说|再问|换个问题|另一个|另一件|别的事|其他问题|新问题")
_QUESTION = re.compile(r"[?？]|吗|怎么|如何|哪里|哪儿|在哪|多少|几点|什么|能不能|可不可以|是否")
_PUNCT = re.compile(r"[\W_]+", re.U)


@dataclass(frozen=True)
class NewText:
    """What the rest of the bot already knows about the new message."""

    text: str
    faq_decision: str | None = None  # the FAQ matcher's decision for the new text: answer|suggest|handoff
    category: str | None = None  # the router's category for the new text


def _clean(text: str) -> str:
    return _PUNCT.sub(" ", unicodedata.normalize("NFKC", text or "").lower()).strip()


@lru_cache(maxsize=2048)
def content_words(text: str) -> frozenset[str]:
    """Words that name things (jieba), without fillers, question words and digits."""
    import jieba  # loaded by the matcher already; imported late so pure callers stay light

    words = (w.strip() for w in jieba.lcut(_clean(text)))
    return frozenset(w for w in words if len(w) >= 2 and w not in _STOP and not w.isdigit())


def _bigrams(text: str) -> set[str]:
    t = _clean(text).replace(" ", "")
    return {t[i:i + 2] for i in range(len(t) - 1)}


def lexical_overlap(a: str, b: str) -> float:
    """0..1: shared content words (overlap coefficient), or shared character bigrams."""
    wa, wb = content_words(a), content_words(b)
    words = len(wa & wb) / min(len(wa), len(wb)) if wa and wb else 0.0
    ba, bb = _bigrams(a), _bigrams(b)
    chars = len(ba & bb) / min(len(ba), len(bb)) if ba and bb else 0.0
    return max(words, chars * 0.8)


def same_matter(ticket_text: str, new: NewText, ticket_category: str | None = None,
                idle: timedelta = timedelta(0)) -> float:
    """0..1: how likely `new` is about the ticket whose texts are `ticket_text`."""
    lex = lexical_overlap(ticket_text, new.text)
    score = 0.2 + 0.6 * lex
    cue = bool(_CUE_SAME.search(new.text))
    if cue:
        score += 0.35
    if _CUE_NEW.search(new.text):
        score -= 0.4
    if new.faq_decision == "answer" and lex < 0.5:
        score -= 0.2 if cue else 0.4  # the FAQ answers it by itself: a question of its own
    score += max(0.0, _route_signal(ticket_category, new.category)) if cue else _route_signal(ticket_category, new.category)
    words_new, words_ticket = content_words(new.text), content_words(ticket_text)
    asks = bool(_QUESTION.search(new.text))
    if not cue and words_new and words_ticket and not words_new & words_ticket:
        score -= 0.25 if asks else 0.15  # both name things, and not the same things
    recent = idle <= timedelta(minutes=30)
    score += 0.1 if recent else (-0.1 if idle > timedelta(hours=6) else 0.0)
    short = len(_clean(new.text).replace(" ", "")) <= 8
    if recent and short and not asks and new.faq_decision != "answer" and not _CUE_NEW.search(new.text):
        score = max(score, NEW_BELOW)  # a short statement right after the ticket: too close to call alone
    return max(0.0, min(1.0, score))


def _route_signal(ticket_category: str | None, category: str | None) -> float:
    if not ticket_category or not category or "other" in (ticket_category, category):
        return 0.0
    return 0.1 if ticket_category == category else -0.15


def verdict(score: float) -> str:
    """'join', 'ask' or 'new' for a same_matter score."""
    if score >= JOIN_AT:
        return "join"
    return "new" if score < NEW_BELOW else "ask"


_SPLIT = re.compile(r"[；;。！!？?\n]+|[，,]\s*(?=另外|还有|还想|顺便|再问|再就是|以及)|(?<=[，,])?\s*(?:另外|还有就是|顺便问一?下|再问一?下)")


def split_matters(text: str) -> list[str]:
    """Clauses that each carry a matter of their own ('…漏水了，另外想问下医保怎么交' -> two)."""
    parts = [p.strip(" ，,、") for p in _SPLIT.split(text or "")]
    parts = [p for p in parts if len(_clean(p).replace(" ", "")) >= 4]
    return parts if len(parts) > 1 else [text]
