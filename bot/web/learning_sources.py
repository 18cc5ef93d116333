"""What the learning loop learns from (issue 16): every message the bot did not answer.

A hand-off, a caution (possibly urgent: never auto-answered) and a menu the resident ignored all
count; a menu the resident picked from does not. Each candidate keeps the ticket category it was
routed to, so 写成问答 can carry the route."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from bot.db.models import InboundMessage, Ticket, TicketEvent
from knowledge_base.phrases import NOT_QUESTIONS

MAX_MESSAGES = 1000
NOT_ANSWERED = ("handoff", "caution")


@dataclass(frozen=True)
class Candidate:
    key: str
    text: str
    at: datetime
    route: str | None = None  # ticket category it was handed to, when known


def _is_handoff(reason: str | None) -> bool:
    return reason in ("handoff", "asked_for_person", "caution") or (reason or "").startswith("guard:")


def _worth_learning(text: str) -> bool:
    t = (text or "").strip()
    return len(t) >= 2 and t not in NOT_QUESTIONS and not t.isdigit() and not t.startswith(("#", "＃", "绑定"))


def from_tickets(session: Session, since: datetime) -> dict[str, Candidate]:
    """Tickets opened on a hand-off: their opening text (the original question after a menu)."""
    out = {}
    q = (select(TicketEvent, Ticket.category, Ticket.resident_open_id).join(Ticket, Ticket.id == TicketEvent.ticket_id)
         .where(TicketEvent.kind == "opened", TicketEvent.at >= since)
         .order_by(TicketEvent.id.desc()).limit(MAX_MESSAGES))
    for ev, category, open_id in session.execute(q):
        data = ev.data or {}
        text = str(data.get("text") or "").strip()
        if _is_handoff(data.get("reason")) and _worth_learning(text):
            key = same_need(open_id, text)
            out[key] = Candidate(key, text, ev.at, category)
    return out


def same_need(open_id: str, text: str) -> str:
    """One resident asking one thing counts once (a menu then 转人工 is one message and one ticket)."""
    return f"{open_id}\n{text.strip()}"


def from_messages(session: Session, since: datetime) -> dict[str, Candidate]:
    """Messages handed off, stopped by a guard or caution, or answered with a menu nobody picked from."""
    q = (select(InboundMessage.id, InboundMessage.msg_key, InboundMessage.open_id, InboundMessage.text,
                InboundMessage.received_at, InboundMessage.decision)
         .where(InboundMessage.received_at >= since, InboundMessage.text != "",
                or_(InboundMessage.decision.in_(NOT_ANSWERED + ("suggest",)), InboundMessage.decision.like("guard:%")))
         .order_by(InboundMessage.id.desc()).limit(MAX_MESSAGES))
    rows = list(session.execute(q))
    picked = _menus_picked(session, [r for r in rows if r.decision == "suggest"])
    return {same_need(r.open_id, r.text): Candidate(r.msg_key, r.text, r.received_at) for r in rows
            if r.id not in picked and _worth_learning(r.text)}


def _menus_picked(session: Session, menus) -> set[int]:
    """Ids of menu messages whose sender's next message picked from the menu."""
    if not menus:
        return set()
    first = min(r.id for r in menus)
    q = (select(InboundMessage.id, InboundMessage.open_id, InboundMessage.decision)
         .where(InboundMessage.id > first, InboundMessage.open_id.in_({r.open_id for r in menus}))
         .order_by(InboundMessage.id))
    following: dict[str, list] = {}
    for row in session.execute(q):
        following.setdefault(row.open_id, []).append(row)
    picked = set()
    for menu in menus:
        nxt = next((r for r in following.get(menu.open_id, ()) if r.id > menu.id), None)
        if nxt is not None and nxt.decision == "menu_pick":
            picked.add(menu.id)
    return picked


def candidates(session: Session, now: datetime, days: int) -> list[Candidate]:
    """Every unanswered question of the last `days` days, newest first (one per message)."""
    since = now - timedelta(days=days)
    found = from_messages(session, since)
    found.update(from_tickets(session, since))  # a ticket knows the route
    return sorted(found.values(), key=lambda c: c.at, reverse=True)


def common_route(routes) -> str | None:
    """The ticket category most of a group's members went to."""
    counted = Counter(r for r in routes if r and r != "urgent")
    return counted.most_common(1)[0][0] if counted else None
