"""Does a resident's message concern an incident? One function decides: incident_score().

Lexical signals for now: an outage topic lexicon (停水/停电/停暖/停气/电梯/网络/门禁), word overlap
with the incident's title (jieba + rapidfuzz) and the place (5号楼, 2单元). The understanding work
(issue 10) can replace the lexical part with sentence embeddings inside incident_score() without
touching its callers.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz

from bot.incidents.places import Place, parse_place

TOPICS: dict[str, str] = {  # category -> what residents and staff read
    "water": "供水", "power": "供电", "heating": "供暖", "gas": "燃气", "elevator": "电梯",
    "network": "网络", "access": "门禁", "other": "其他",
}
_OUTAGE = {  # phrases that report (or ask about) an outage of the topic
    "water": r"停水|断水|没水|没有水|不出水|水停了|停了水|来水|水压.{0,2}(低|小)|自来水.{0,4}(停|没|断|黄|浑)",
    "power": r"停电|断电|没电|没有电|电停了|来电|跳闸|停了电",
    "heating": r"停暖|暖气.{0,6}(不热|不暖|凉|冰|冷|没|坏|停|故障|不行|温度低|不烫)|没(有)?暖气|不供暖|停止供暖|供暖.{0,3}(停|中断|故障)",
    "gas": r"停气|没气|没有气|燃气.{0,3}(停|没了)|天然气.{0,3}(停|没了)|打不着火|停止供气",
    "elevator": r"电梯.{0,6}(坏|停|不动|故障|不能用|不走|维修|没法用|不运行|停运|关了)|坐不了电梯",
    "network": r"断网|没网|没有网|网络.{0,4}(断|故障|不通|连不上|很差|卡)|宽带.{0,4}(断|不通|坏|连不上)|没信号",
    "access": r"门禁.{0,6}(坏|打不开|不能用|失灵|故障|刷不开|开不了)",
}
_OUTAGE_RE = {k: re.compile(v) for k, v in _OUTAGE.items()}
# Words in an incident title that say nothing about what it is.
_GENERIC = frozenset("故障 正在 抢修 维修 预计 恢复 小时 左右 目前 已经 通知 居民 情况 问题 工作 人员 社区 小区 我们 "
                     "请 请您 耐心 等待 处理 今天 明天 由于 因为 公司 计划 临时".split())
_PLACE_TOKEN = re.compile(r"\d|号楼|单元|栋|幢|[一二三四五六七八九十]+号")


@dataclass(frozen=True)
class IncidentView:
    """What matching needs to know about an incident (no database types)."""

    title: str
    category: str
    place: Place


def clean(text: str) -> str:
    return unicodedata.normalize("NFKC", text or "").lower().strip()


def topic_of(text: str) -> str | None:
    """The outage topic a message reports or asks about, if any."""
    t = clean(text)
    for topic, rx in _OUTAGE_RE.items():
        if rx.search(t):
            return topic
    return None


def topic_of_title(text: str) -> str:
    """An incident's category from its title: the outage lexicon, then bare topic words."""
    found = topic_of(text)
    if found:
        return found
    t = clean(text)
    bare = {"water": "水", "power": "电", "heating": "暖", "gas": "气", "elevator": "电梯", "network": "网", "access": "门禁"}
    for topic in ("elevator", "access", "heating", "network", "gas", "power", "water"):
        if bare[topic] in t:
            return topic
    return "other"


@lru_cache(maxsize=256)
def title_words(title: str) -> tuple[str, ...]:
    """Content words of a title (jieba), without places and generic words."""
    import jieba

    words = {w for w in jieba.lcut(clean(title)) if len(w) >= 2}
    return tuple(sorted(w for w in words if w not in _GENERIC and not _PLACE_TOKEN.search(w)))


def _lexical(incident: IncidentView, t: str) -> float:
    words = title_words(incident.title)
    if not words:
        return 0.0
    hit = sum(1 for w in words if w in t) / len(words)
    close = max((fuzz.partial_ratio(w, t) for w in words), default=0) / 100
    return 0.55 * hit + 0.15 * (close >= 0.8)


def incident_score(incident: IncidentView, text: str, home: Place | None = None) -> float:
    """0..1: how sure we are that `text` (from a resident living at `home`, if known) is about `incident`."""
    t = clean(text)
    topic = topic_of(t)
    if topic and incident.category not in ("other", topic):
        return 0.0  # a different outage
    score = max(0.75 if topic == incident.category else 0.0, _lexical(incident, t))
    named, said = parse_place(t)
    if said:
        if not incident.place.covers(named):
            return 0.0
        if named.building and incident.place.building:
            score += 0.15
    elif home is not None and home.building and not incident.place.covers(home):
        score *= 0.5  # registered elsewhere: probably not theirs
    return min(score, 1.0)
