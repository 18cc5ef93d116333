"""Pending conversation turns: a pick from the 'did you mean' menu, or a request for a person."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace
from datetime import timedelta

from rapidfuzz import fuzz
from sqlalchemy import select, update

from bot import tickets
from bot.db.models import ConversationState, InboundMessage
from bot.db.upsert import insert_for
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M
from bot.tickets import threads

HANDOFF_WORDS = ("转人工", "人工客服", "人工服务", "找人工", "真人", "找工作人员", "不对", "没用", "不是这个")
MENU_EXPIRED = "刚才的选项已经过期了，请您重新描述一下问题，我们马上为您查找。"
CHINESE_DIGITS = {"一": 1, "二": 2, "两": 2, "三": 3, "零": 0}


JOIN_WORDS = ("补充", "是补充", "补充工单", "加到工单", "是", "对", "是的", "旧的", "原来的")
NEW_WORDS = ("新问题", "是新问题", "新的", "新的问题", "不是", "另一个", "别的")
AWAIT_QUESTION_MINUTES = 30


@dataclass(frozen=True)
class Turn:
    action: str  # "pick" | "handoff" | "expired" | "no_menu" | "thread" | "question"
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
        if (turn := _thread_answer(ctx, msg)) is not None:
            return turn
        menu = pending(ctx, msg.open_id, "menu")
        answered = pending(ctx, msg.open_id, "answered")
        live = [s for s in (menu, answered) if s is not None and s.expires_at > ctx.now()]
        if asks_for_person(msg.text):
            return Turn("handoff", live[0] if live else None)
        if (awaited := _live(ctx, msg.open_id, "await_question")) is not None:
            return Turn("question", awaited)
        number = parse_pick(msg.text)
        if menu is None:
            return _no_menu(ctx, msg, number)
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
        if turn.action == "no_menu":
            ctx.notes["decision"] = "pick_without_menu"
            return Reply(M.PICK_WITHOUT_MENU)
        if turn.action == "thread":
            return _thread_choice(ctx, msg, turn)
        if turn.action == "question":  # the question we asked for after a bare 转人工
            clear(ctx, turn.state)
            ctx.notes.update(decision="asked_for_person", handoff_reason="asked_for_person", handoff_text=msg.text)
            return None
        return _hand_off(ctx, msg, turn)


def _live(ctx: Context, open_id: str, kind: str) -> ConversationState | None:
    state = pending(ctx, open_id, kind)
    return state if state is not None and state.expires_at > ctx.now() else None


def _no_menu(ctx: Context, msg: Inbound, number: int | None) -> Turn | None:
    """A bare '1'/'第二个' with nothing to pick from (unless it answers a staff question)."""
    if number is None or threads.staff_asked(ctx.session, msg.open_id, ctx.now()) is not None:
        return None
    return Turn("no_menu", None)


def _thread_answer(ctx: Context, msg: Inbound) -> Turn | None:
    """The resident's answer to '补充工单#N，还是新问题？'."""
    state = _live(ctx, msg.open_id, "thread_ask")
    if state is None:
        return None
    t = unicodedata.normalize("NFKC", msg.text).strip().rstrip("。.!！")
    choice = "join" if t in JOIN_WORDS else "new" if t in NEW_WORDS else None
    return Turn("thread", state, {"choice": choice}) if choice else None


def _thread_choice(ctx: Context, msg: Inbound, turn: Turn) -> Reply | None:
    """Remember the resident's choice and handle the message we asked about accordingly."""
    data, choice = dict(turn.state.data), turn.option["choice"]
    clear(ctx, turn.state)
    ticket = tickets.get(ctx.session, data["ticket_id"], for_update=True)
    if ticket is None or ticket.status not in tickets.ACTIVE:
        choice = "new"
    else:
        threads.put_state(ctx.session, msg.open_id, "thread_pref", {"ticket_id": ticket.id, "choice": choice},
                          ctx.now(), timedelta(hours=2))
    earlier = replace(msg, text=data.get("text", ""))
    ctx.notes["thread_choice"] = choice
    reply = rerun_after(ctx, earlier, "conversation")
    if ctx.notes.get("ticket_id") and data.get("msg_key"):  # the earlier message belongs where it went
        table = InboundMessage.__table__
        ctx.session.execute(update(table).where(table.c.msg_key == data["msg_key"])
                            .values(ticket_id=ctx.notes["ticket_id"]))
    return reply


def rerun_after(ctx: Context, msg: Inbound, name: str) -> Reply | None:
    """Run the handlers after `name` (in the one ordered list) on msg: the earlier message, now sorted."""
    handlers = ctx.services.pipeline.handlers
    start = next(i for i, h in enumerate(handlers) if h.name == name) + 1
    for handler in handlers[start:]:
        match = handler.check(msg, ctx)
        if match is not None and match is not False:
            reply = handler.handle(msg, ctx, match)
            if reply is not None:
                return reply
    return None


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
    question = turn.state.data.get("text")
    ctx.notes["scores"] = {"picked": turn.option["faq_id"], "menu_for": question}
    if entry is None:  # disabled since the menu was shown
        return _hand_off(ctx, msg, turn)
    reply = answer_reply(ctx, msg, entry)
    # a later "0" hands on the resident's own question, not the "2" they picked with
    save_state(ctx, msg.open_id, "answered", {"faq_id": entry.id, "text": question or entry.question},
               minutes=ctx.settings.desk.menu_ttl_minutes)
    return reply


def _hand_off(ctx: Context, msg: Inbound, turn: Turn) -> Reply | None:
    """Let the ticket handler take it, with the question the resident asked; ask for it if unknown."""
    data = turn.state.data if turn.state is not None else {}
    clear(ctx, turn.state)
    ctx.notes["decision"] = "asked_for_person"
    ctx.notes["handoff_reason"] = "asked_for_person"
    if data.get("text"):
        ctx.notes["handoff_text"] = data["text"]
        if data.get("faq_id"):
            ctx.notes["handoff_faq"] = data["faq_id"]
        return None
    if _bare(msg.text) and tickets.active_for_resident(ctx.session, msg.open_id) is None:
        save_state(ctx, msg.open_id, "await_question", {}, minutes=AWAIT_QUESTION_MINUTES)
        ctx.notes["decision"] = "asked_for_question"
        return Reply(M.HUMAN_NEEDS_QUESTION)
    return None


def _bare(text: str) -> bool:
    """'0', '转人工', '人工客服' …: a request for a person that says nothing about the matter."""
    t = re.sub(r"[\W_]+|我要|我想|请|帮我|给我|麻烦|找|转|人工|客服|服务|真人|工作人员|不对|没用|不是这个", "",
               unicodedata.normalize("NFKC", text))
    return t in ("", "0")
