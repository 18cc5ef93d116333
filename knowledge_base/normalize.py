"""Chinese text normalisation for FAQ matching (width, script, emoji, fillers, numbers, dialect)."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import yaml

_DATA_FILE = Path(__file__).parent / "data" / "normalize.yaml"


@lru_cache(maxsize=1)
def _data() -> dict:
    return yaml.safe_load(_DATA_FILE.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _t2s():
    import opencc
    return opencc.OpenCC("t2s")


def _alternation(words) -> re.Pattern:
    words = sorted(set(words), key=len, reverse=True)
    return re.compile("|".join(re.escape(w) for w in words))


@lru_cache(maxsize=1)
def _tables():
    d = _data()
    repl = {**d["synonyms"], **d["dialect"]}          # dialect first wins on equal keys
    eng = d["english"]
    return {
        "repl": repl, "repl_re": _alternation(repl),
        "eng": eng, "eng_re": re.compile(r"(?<![a-z])(" + "|".join(
            re.escape(w) for w in sorted(eng, key=len, reverse=True)) + r")(?![a-z])"),
        "filler_re": _alternation(d["fillers"]),
        "particle_re": re.compile("(?<!书)(?:" + "|".join(map(re.escape, d["particles"]))
                                  + r")+(?=[\s,.?!;:~]|$)"),
    }


_WECHAT_CODE = re.compile(r"\[[\u4e00-\u9fffA-Za-z]{1,6}\]|/::?\S{1,3}")
_MENTION = re.compile(r"@\S{1,12}?(?=\s|$)|@\S{1,6}")
_EMOJI = re.compile("[\U0001F000-\U0001FAFF\u2600-\u27BF\u2B00-\u2BFF\uFE0F\u200D"
                    "\u2190-\u21FF\u2300-\u23FF\u25A0-\u25FF\u3030\u303D]")
_LEADING = re.compile(r"^\s*(在吗|在不在|有人在吗|在线吗)(\s+|$)")
_PUNCT = re.compile(r"[^\w\u4e00-\u9fff]+|_")
_NUM_CHARS = "零〇一二两三四五六七八九十百千"
_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
          "六": 6, "七": 7, "八": 8, "九": 9}
_UNIT = {"十": 10, "百": 100, "千": 1000}
# A lone numeral is converted only before a counting word, so 一起/一样/统一 stay words.
_COUNTERS = "岁号楼点年级层栋单元天元块次周月个小时分万"
_NUM_RE = re.compile(f"[{_NUM_CHARS}]+")


def cn_to_int(s: str) -> int | None:
    """Convert a Chinese numeral (八十一, 一百八, 二零二四) to int; None if not a number."""
    if all(c in _DIGIT for c in s):
        return int("".join(str(_DIGIT[c]) for c in s)) if len(s) > 1 else _DIGIT[s]
    total, cur = 0, 0
    for c in s:
        if c in _DIGIT:
            cur = _DIGIT[c]
        elif c in _UNIT:
            total += (cur or 1) * _UNIT[c]
            cur = 0
        else:
            return None
    if cur and len(s) >= 2 and s[-2] in "百千":       # 一百八 = 180
        cur *= _UNIT[s[-2]] // 10
    return total + cur


def _numerals(text: str) -> str:
    def repl(m: re.Match) -> str:
        s = m.group(0)
        nxt = text[m.end():m.end() + 1]
        if len(s) == 1 and (nxt == "" or nxt not in _COUNTERS or s in "两零〇"
                            or (s == "一" and nxt not in "级岁号楼层栋")):
            return s
        if len(s) >= 2 and s[0] in "一" and s[1] not in "十百千零〇" and nxt not in _COUNTERS:
            return s                                  # 一二三: an enumeration, not a number
        n = cn_to_int(s)
        return s if n is None else str(n)
    return _NUM_RE.sub(repl, text)


def _english(text: str) -> str:
    t = _tables()
    return t["eng_re"].sub(lambda m: t["eng"][m.group(0)], text)


@lru_cache(maxsize=100_000)
def normalize(text: str) -> str:
    """Normalise a resident message to simplified, half-width, lower-case, filler-free text."""
    if not text:
        return ""
    t = _tables()
    s = unicodedata.normalize("NFKC", text)
    s = _WECHAT_CODE.sub(" ", s)
    s = _MENTION.sub(" ", s)
    s = _EMOJI.sub(" ", s)
    s = _t2s().convert(s).lower()
    s = _english(s)
    s = t["repl_re"].sub(lambda m: t["repl"][m.group(0)], s)
    s = t["filler_re"].sub(" ", s)
    s = _numerals(s)
    s = _PUNCT.sub(" ", s)
    s = _LEADING.sub("", s)
    s = t["particle_re"].sub("", s)
    return " ".join(s.split())
