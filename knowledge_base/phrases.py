"""The desk's own words, each list once: what residents type to steer the conversation.

Greetings and thanks, asking for a person, picking from a 'did you mean' menu, rating an answer,
answering '补充工单，还是新问题？', and asking for their tickets. Pure: text in, reading out.
"""
from __future__ import annotations

import re
import unicodedata

# Asking for a person, anywhere in a message ("能帮我转人工吗，水管又漏了").
ASK_FOR_PERSON = ("转人工", "人工客服", "人工服务", "找人工", "要人工", "真人", "找工作人员")
# "That did not help": a request for a person only as a short reply right after an answer or a menu.
NOT_HELPED = ("不对", "没用", "不是这个")
SHORT_REPLY = 12  # characters: longer texts are questions of their own ("不对外公开的材料…")
# What is left of a request for a person once these are removed says what the matter is.
_PERSON_FILLER = re.compile(r"[\W_]+|我要|我想|请|帮我|给我|麻烦|找|转|人工|客服|服务|真人|工作人员|不对|没用|不是这个")

CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "零": 0}
_PICK = re.compile(r"(?:第|选|选择)?\s*([0-9一二两三零])\s*(?:个|条|项|号)?")

RATING_WORDS = {"非常满意": 5, "很满意": 5, "满意": 5, "还行": 3, "一般": 3, "不满意": 1, "很不满意": 1, "非常不满意": 1}
_STARS = re.compile(r"^([1-5])\s*(分|星)?$")

# The resident's answer to '补充工单#N，还是新问题？'.
JOIN_WORDS = ("补充", "是补充", "补充工单", "加到工单", "是", "对", "是的", "旧的", "原来的")
NEW_WORDS = ("新问题", "是新问题", "新的", "新的问题", "不是", "另一个", "别的")

_MY_TICKETS = re.compile(r"^(我的工单|查询工单|工单查询|我的问题|查进度|查询进度)$")

GREETINGS = ("你好", "您好", "你们好", "在吗", "在不在", "有人吗", "早", "早上好", "中午好", "下午好", "晚上好",
             "hi", "hello", "哈喽")
THANKS = ("谢谢", "谢谢你", "谢谢您", "谢谢你们", "多谢", "感谢", "好的", "好", "收到", "知道了", "明白了", "嗯+", "哦+",
          "ok", "辛苦了", "行", "可以")
# Whole replies that steer the conversation (a pick, a rating, asking for a person, thanks) and are
# never a question worth learning from: the console's learning loop skips them (bot/web/learning_sources.py).
# Not the union of the lists above: a reply is skipped only when it is exactly one of these words.
NOT_QUESTIONS = frozenset("0 1 2 3 4 5 满意 不满意 转人工 人工 谢谢 好的 嗯 ok".split())
_GREETING = re.compile(rf"^({'|'.join(GREETINGS)})+$", re.I)
_THANKS = re.compile(rf"^(好的|好)?({'|'.join(THANKS)})+$", re.I)
_EMOJI_CODE = re.compile(r"\[[\u4e00-\u9fff]{1,4}\]|/:[^\s]{1,8}")
_PUNCT = re.compile(r"[\W_]+", re.U)


def _nfkc(text: str | None) -> str:
    return unicodedata.normalize("NFKC", text or "")


def _trimmed(text: str | None) -> str:
    """NFKC, stripped, without closing punctuation ('我的工单？' -> '我的工单')."""
    return _nfkc(text).strip().rstrip("?？。.!！")


def wants_person(text: str | None) -> bool:
    """转人工 and friends anywhere in the message."""
    t = _nfkc(text)
    return any(w in t for w in ASK_FOR_PERSON)


def asks_for_person(text: str | None) -> bool:
    """A reply to an answer or a menu that asks for a person: '0', or a short 转人工/不对/没用 …"""
    t = _nfkc(text).strip()
    return t == "0" or any(w in t for w in ASK_FOR_PERSON + NOT_HELPED) and len(t) <= SHORT_REPLY


def bare_request_for_person(text: str | None) -> bool:
    """'0', '转人工', '人工客服' …: a request for a person that says nothing about the matter."""
    return _PERSON_FILLER.sub("", _nfkc(text)) in ("", "0")


def parse_pick(text: str | None) -> int | None:
    """'1', '１', '一', '第2个', '选3' -> the number; anything else -> None."""
    m = _PICK.fullmatch(_nfkc(text).strip().rstrip("。.!！"))
    if not m:
        return None
    d = m.group(1)
    return int(d) if d.isdigit() else CHINESE_DIGITS[d]


def parse_rating(text: str | None) -> int | None:
    """1-5 (optionally 分/星) or 满意/一般/不满意 -> stars."""
    t = re.sub(r"[\s!！。.~～]+$", "", _nfkc(text).strip())
    if m := _STARS.match(t):
        return int(m.group(1))
    return RATING_WORDS.get(t)


def thread_answer(text: str | None) -> str | None:
    """'join' or 'new' for an answer to '补充工单#N，还是新问题？'; None for anything else."""
    t = _nfkc(text).strip().rstrip("。.!！")
    return "join" if t in JOIN_WORDS else "new" if t in NEW_WORDS else None


def asks_for_my_tickets(text: str | None) -> bool:
    """我的工单, 查进度 …"""
    return bool(_MY_TICKETS.match(_trimmed(text)))


def small_talk(text: str | None) -> str | None:
    """'greeting', 'thanks' or 'emoji' for a message that carries no matter; else None."""
    t = _nfkc(text).strip()
    bare = _PUNCT.sub("", _EMOJI_CODE.sub("", t))
    bare = "".join(ch for ch in bare if unicodedata.category(ch) not in ("So", "Sk", "Cn"))
    if not bare:
        return "emoji" if t else None
    if _GREETING.match(bare):
        return "greeting"
    return "thanks" if _THANKS.match(bare) else None
