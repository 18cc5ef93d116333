"""Pinyin helpers: fuzzy toneless syllables for homophones and pinyin-initial abbreviations."""
from __future__ import annotations

import re
from functools import lru_cache

from pypinyin import Style, lazy_pinyin

_FUZZY_INITIALS = (("zh", "z"), ("ch", "c"), ("sh", "s"), ("n", "l"))
_FUZZY_FINALS = (("ang", "an"), ("eng", "en"), ("ing", "in"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
ABBREV_RE = re.compile(r"(?<![a-z])[bcdfghjklmnpqrstwxyz][a-z]{1,5}(?![a-z])")


def fuzzy(syllable: str) -> str:
    """Collapse z/zh c/ch s/sh n/l and an/ang en/eng in/ing so homophone typos meet."""
    s = syllable
    for a, b in _FUZZY_INITIALS:
        if s.startswith(a):
            s = b + s[len(a):]
            break
    for a, b in _FUZZY_FINALS:
        if s.endswith(a):
            s = s[: -len(a)] + b
            break
    return s


@lru_cache(maxsize=20000)
def char_pinyin(ch: str) -> str:
    """Fuzzy toneless pinyin of one CJK character (cached; context-free reading)."""
    return fuzzy(lazy_pinyin(ch)[0])


def syllables(text: str) -> list[str]:
    """Fuzzy pinyin syllable for each CJK char; other runs (digits, latin) kept as tokens."""
    out: list[str] = []
    buf = ""
    for ch in text:
        if _CJK.match(ch):
            if buf:
                out.append(buf)
                buf = ""
            out.append(char_pinyin(ch))
        elif ch.isalnum():
            buf += ch
        elif buf:
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return out


@lru_cache(maxsize=50000)
def initials(word: str) -> str:
    """Pinyin initials of a word: 低保 -> db, 社区服务 -> sqfw (zh/ch/sh -> z/c/s)."""
    return "".join(p[0] for p in lazy_pinyin(word, style=Style.NORMAL) if p and p[0].isalpha())


def is_abbreviation(token: str) -> bool:
    """A latin token that looks like pinyin initials (db, jzz, sqfw), not an English word."""
    return bool(ABBREV_RE.fullmatch(token)) and not re.search(r"[aeiou]", token[1:])
