"""Pending conversation turns: a pick from the 'did you mean' menu, or a request for a person."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import timedelta

from rapidfuzz import fuzz
from sqlalchemy import select

from bot.db.models import ConversationState
from bot.db.upsert import insert_for
from bot.domain import Inbound, Reply
from bot.pipeline import Context

HANDOFF_WORDS = ("转人工", "人工客服", "人工服务", "找人工", "真人", "找工作人员", "不对", "没用", "不是这个")
MENU_EXPIRED = "刚才的选项已经过期了，请您重新描述一下问题，我们马上为您查找。"
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "零": 0}


@dataclass(frozen=True)
class Turn:
    action: str  # "pick" | "handoff" | "expired"
    state: ConversationState | None
    option: dict | None = None


def save_state(ctx: Context, open_id: str, kind: str, data: dict, minutes: int) -> None:
    """Replace this user's pending state of `kind` (one per user and kind)."""
    now = ctx.now()
    values = {"data": data, "created_at": now, "expires_at": now + timedelta(minutes=minutes)}
    stmt = insert_for(ctx.session, ConversationState.__table__).values(open_id=open_id, kind=kind, **values)
    ctx.session.execute(stmt.on_conflict_do_update(index_elements=["open_id", "kind"], set_=values))
    _forget(ctx)


def pending(ctx: Context, open_id: str, kind: str) -> ConversationState | None:
    """This user's state of `kind`; all their states are read in one query per message."""
    memo = ctx.session.info.setdefault("conversation_states", {})
    if open_id not in memo:
        rows = ctx.session.scalars(select(ConversationState).where(ConversationState.open_id == open_id))
        memo[open_id] = {row.kind: row for row in rows}
    return memo[open_id].get(kind)


def clear(ctx: Context, state: ConversationState | None) -> None:
    if state is not None:
        ctx.session.delete(state)
        _forget(ctx)


def _forget(ctx: Context) -> None:
    ctx.session.info.pop("conversation_states", None)


def parse_pick(text: str) -> int | None:
    """'1', '１', '一', '第2个', '选3' -> the number; anything else -> None."""
    t = unicodedata.normalize("NFKC", text).strip().rstrip("。.!！")
    m = re.fullmatch(r"(?:第|选|选择)?\s*([0-9一二两三零])\s*(?:个|条|项|号)?", t)
    if not m:
        return None
    d = m.group(1)
    return int(d) if d.isdigit() else CHINESE_DIGITS[d]


def asks_for_person(text: str) -> bool:
    t = unicodedata.normalize("NFKC", text).strip()
    return t == "0" or any(w in t for w in HANDOFF_WORDS) and len(t) <= 12


class Conversation:
    name = "conversation"

    def check(self, msg: Inbound, ctx: Context) -> Turn | None:
        if not msg.has_text:
            return None
        menu = pending(ctx, msg.open_id, "menu")
        answered = pending(ctx, msg.open_id, "answered")
        live = [s for s in (menu, answered) if s is not None and s.expires_at > ctx.now()]
        if asks_for_person(msg.text):
            return Turn("handoff", live[0] if live else None)
        if menu is None:
            return None
        number = parse_pick(msg.text)
        if menu.expires_at <= ctx.now():
            return Turn("expired", menu) if number is not None else None
        option = _chosen(menu.data["options"], number, msg.text)
        return Turn("pick", menu, option) if option else None

    def handle(self, msg: Inbound, ctx: Context, turn: Turn) -> Reply | None:
        if turn.action == "expired":
            clear(ctx, turn.state)
            ctx.notes["decision"] = "menu_expired"
            return Reply(MENU_EXPIRED)
        if turn.action == "pick":
            return _answer_pick(ctx, msg, turn)
        return _hand_off(ctx, turn)


def _chosen(options: list[dict], number: int | None, text: str) -> dict | None:
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    best = max(options, key=lambda o: fuzz.ratio(text, o["question"]), default=None)
    return best if best and fuzz.ratio(text, best["question"]) >= 80 else None


def _answer_pick(ctx: Context, msg: Inbound, turn: Turn) -> Reply:
    from handlers.faq import answer_reply

    clear(ctx, turn.state)
    entry = ctx.services.matchers.current(ctx.session).entries.get(turn.option["faq_id"])
    ctx.notes["decision"] = "menu_pick"
    ctx.notes["scores"] = {"picked": turn.option["faq_id"], "menu_for": turn.state.data.get("text")}
    if entry is None:  # disabled since the menu was shown
        return _hand_off(ctx, turn)
    return answer_reply(ctx, msg, entry)


def _hand_off(ctx: Context, turn: Turn) -> None:
    """Let the ticket handler take it, with the question the resident originally asked."""
    data = turn.state.data if turn.state is not None else {}
    clear(ctx, turn.state)
    ctx.notes["decision"] = "asked_for_person"
    ctx.notes["handoff_reason"] = "asked_for_person"
    if data.get("text"):
        ctx.notes["handoff_text"] = data["text"]
    return None
