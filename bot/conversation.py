"""A resident's conversation state between messages: the menu offered, the FAQ answered, the rating
awaited, the question awaited after a bare 转人工 (one ConversationState row per resident and kind).

Every handler that reads or writes that state calls these functions, so none imports another.
"""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import ConversationState
from bot.db.upsert import insert_for
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M

MAX_REPLY_BYTES = 2048  # WeChat's limit for a passive text reply
_MEMO = "conversation_states"  # session.info key: this message's states, read once


def save_state(ctx: Context, open_id: str, kind: str, data: dict, minutes: int) -> None:
    """Replace this user's pending state of `kind` (one per user and kind)."""
    now = ctx.now()
    values = {"data": data, "created_at": now, "expires_at": now + timedelta(minutes=minutes)}
    stmt = insert_for(ctx.session, ConversationState.__table__).values(open_id=open_id, kind=kind, **values)
    ctx.session.execute(stmt.on_conflict_do_update(index_elements=["open_id", "kind"], set_=values))
    _forget(ctx)


def pending(ctx: Context, open_id: str, kind: str) -> ConversationState | None:
    """This user's state of `kind`, expired or not; all their states are read in one query per message."""
    memo = ctx.session.info.setdefault(_MEMO, {})
    if open_id not in memo:
        rows = ctx.session.scalars(select(ConversationState).where(ConversationState.open_id == open_id))
        memo[open_id] = {row.kind: row for row in rows}
    return memo[open_id].get(kind)


def live(ctx: Context, open_id: str, kind: str) -> ConversationState | None:
    """This user's unexpired state of `kind`."""
    state = pending(ctx, open_id, kind)
    return state if state is not None and state.expires_at > ctx.now() else None


def clear(ctx: Context, state: ConversationState | None) -> None:
    if state is not None:
        ctx.session.delete(state)
        _forget(ctx)


def _forget(ctx: Context) -> None:
    ctx.session.info.pop(_MEMO, None)


def live_state(session: Session, open_id: str, kind: str, now: datetime) -> ConversationState | None:
    """This user's unexpired state of `kind`, for code without a handler's Context (tickets, commands)."""
    row = session.scalar(select(ConversationState).where(ConversationState.open_id == open_id,
                                                         ConversationState.kind == kind))
    return row if row is not None and row.expires_at > now else None


def put_state(session: Session, open_id: str, kind: str, data: dict, now: datetime, ttl: timedelta) -> None:
    """Replace this user's state of `kind` (one per user and kind), for code without a handler's Context."""
    row = session.scalar(select(ConversationState).where(ConversationState.open_id == open_id,
                                                         ConversationState.kind == kind))
    if row is None:
        row = ConversationState(open_id=open_id, kind=kind)
        session.add(row)
    row.data, row.created_at, row.expires_at = data, now, now + ttl
    session.info.pop(_MEMO, None)


def drop_state(session: Session, open_id: str, kind: str) -> None:
    """Delete this user's state of `kind`, if any, for code without a handler's Context."""
    row = session.scalar(select(ConversationState).where(ConversationState.open_id == open_id,
                                                         ConversationState.kind == kind))
    if row is not None:
        session.delete(row)
        session.info.pop(_MEMO, None)


def pending_rating(ctx: Context, open_id: str) -> ConversationState | None:
    """The awaited rating of a ticket answer, unless a newer 'did you mean' menu is waiting for this digit."""
    states = {s.kind: s for s in ctx.session.scalars(select(ConversationState).where(
        ConversationState.open_id == open_id, ConversationState.kind.in_(("rating", "menu")),
        ConversationState.expires_at > ctx.now()))}
    rating, menu = states.get("rating"), states.get("menu")
    if rating is None or (menu is not None and menu.created_at >= rating.created_at):
        return None
    return rating


def pending_incident_rating(ctx: Context, open_id: str) -> ConversationState | None:
    """The awaited rating of a recovered incident."""
    state = live(ctx, open_id, "rating")
    return state if state is not None and "incident_id" in (state.data or {}) else None


def remember_answer(ctx: Context, open_id: str, faq_id: str, question: str) -> None:
    """What was answered, so a later '0' hands on the resident's own question."""
    save_state(ctx, open_id, "answered", {"faq_id": faq_id, "text": question},
               minutes=ctx.settings.desk.menu_ttl_minutes)


def answer_reply(ctx: Context, msg: Inbound, entry) -> Reply:
    """The FAQ's answer plus the hand-off hint; remembers what was answered for a '0'."""
    remember_answer(ctx, msg.open_id, entry.id, msg.text)
    text = entry.answer + M.ANSWER_HINT
    return Reply(text if len(text.encode("utf-8")) <= MAX_REPLY_BYTES else entry.answer)


def scores_of(result) -> dict:
    """The matcher's reading as stored on the delivery's row."""
    return {"normalized": result.normalized, "guard": result.guard,
            "candidates": [[c.faq_id, round(c.score, 4)] for c in result.candidates]}


def menu_reply(ctx: Context, msg: Inbound, result) -> Reply:
    """A numbered 'did you mean' menu of up to three questions, remembered until it expires."""
    options = [{"faq_id": c.faq_id, "question": c.question} for c in result.candidates]
    save_state(ctx, msg.open_id, "menu", {"options": options, "text": msg.text, "scores": scores_of(result)},
               minutes=ctx.settings.desk.menu_ttl_minutes)
    lines = [M.MENU_HEAD] + [f"{i}. {o['question']}" for i, o in enumerate(options, 1)] + [M.MENU_TAIL]
    return Reply("\n".join(lines))
