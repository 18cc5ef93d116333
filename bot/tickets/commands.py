"""The staff command grammar in WeChat: #12 答复, #12 关闭, #12 转 张三, 接单 12, 待办, 值班, #12 入库.

Pure: text in, Command out (the staff command handler acts on it; a former colleague's command is
recognised by the same parse)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_HASH = re.compile(r"^[#＃]\s*([0-9０-９]+)\s*(.*)$", re.S)  # on the raw text: answers keep their punctuation
_TAKE = re.compile(r"^接单\s*#?\s*(\d+)$")
_TRANSFER = re.compile(r"^转(给|\s)\s*(\S{1,16})$")
_TRANSFER_LOOSE = re.compile(r"^转(\S{2,4})$")  # "转张三"; an unknown name is refused, never sent on
_CLOSE = {"关闭", "结单", "关单", "办结", "完结"}
_CLOSE_WITH_REASON = re.compile(r"^(关闭|结单|关单|办结|完结)[\s:：，,]+(.+)$", re.S)
_FINAL = re.compile(r"^(答复|回复)[\s:：，,]*(.*)$", re.S)
_ASK = re.compile(r"^(问|提问|询问)[\s:：，,]+(.*)$", re.S)
_RESERVED = re.compile(r"^(入库|接单|转|关闭|结单|关单|办结|完结)")  # a command word with junk after it


@dataclass(frozen=True)
class Command:
    verb: str  # answer | close | transfer | take | faq | detail | todo | duty | help
    ticket_id: int | None = None
    arg: str = ""
    mode: str = "auto"  # answer: final | question | auto; help: why nothing was sent


def parse(text: str) -> Command:
    """Parse a staff message; full-width ＃ and digits are accepted. Unknown text -> help."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    if t in ("待办", "我的待办"):
        return Command("todo")
    if t in ("值班", "今天值班", "谁值班"):
        return Command("duty")
    if m := _TAKE.match(t):
        return Command("take", int(m.group(1)))
    m = _HASH.match((text or "").strip())
    if not m:
        return Command("help")
    tid, rest = int(unicodedata.normalize("NFKC", m.group(1))), m.group(2).strip()
    return _ticket_command(tid, rest)


def _ticket_command(tid: int, rest: str) -> Command:
    """'#12 …': strict; anything that looks like a command but is not one is never sent to a resident."""
    if not rest:
        return Command("detail", tid)
    if rest in _CLOSE:
        return Command("close", tid)
    if m := _CLOSE_WITH_REASON.match(rest):
        return Command("close", tid, m.group(2).strip())
    if rest == "入库":
        return Command("faq", tid)
    if rest == "接单":
        return Command("take", tid)
    if tm := _TRANSFER.match(rest) or _TRANSFER_LOOSE.match(rest):
        return Command("transfer", tid, tm.group(tm.lastindex))
    for rx, mode in ((_FINAL, "final"), (_ASK, "question")):
        if m := rx.match(rest):
            body = m.group(2).strip()
            return Command("answer", tid, body, mode) if body else Command("help", tid, mode="empty")
    if _RESERVED.match(rest) and len(rest) <= 8:
        return Command("help", tid, rest, mode="malformed")
    return Command("answer", tid, rest)
