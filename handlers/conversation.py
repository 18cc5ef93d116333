"""Pending conversation turns: a pick from the 'did you mean' menu, or a request for a person."""
from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import timedelta

from rapidfuzz import fuzz
from sqlalchemy import update

from bot import tickets
from bot.conversation import answer_reply, clear, live, pending, put_state, remember_answer, save_state
from bot.db.models import ConversationState, InboundMessage
from bot.domain import Handoff, Inbound, Reply
from bot.pipeline import Context
from bot import texts as M
from bot.tickets import threads
from knowledge_base.phrases import asks_for_person, bare_request_for_person, parse_pick, thread_answer

AWAIT_QUESTION_MINUTES = 30
ASKED_FOR_PERSON = "asked_for_person"


@dataclass(frozen=True)
class Turn:
    action: str  # "pick" | "handoff" | "expired" | "no_menu" | "thread" | "question"
    state: ConversationState | None
    option: dict | None = None


class Conversation:
    name = "conversation"

    def check(self, msg: Inbound, ctx: Context) -> Turn | None:
        if not msg.has_text:
            return None
        if (turn := _thread_answer(ctx, msg)) is not None:
            return turn
        menu = pending(ctx, msg.open_id, "menu")
        answered = pending(ctx, msg.open_id, "answered")
        current = [s for s in (menu, answered) if s is not None and s.expires_at > ctx.now()]
        if asks_for_person(msg.text):
            return Turn("handoff", current[0] if current else None)
        if (awaited := live(ctx, msg.open_id, "await_question")) is not None:
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
            ctx.decision = "menu_expired"
            return Reply(M.MENU_EXPIRED)
        if turn.action == "pick":
            return _answer_pick(ctx, msg, turn)
        if turn.action == "no_menu":
            ctx.decision = "pick_without_menu"
            return Reply(M.PICK_WITHOUT_MENU)
        if turn.action == "thread":
            return _thread_choice(ctx, msg, turn)
        if turn.action == "question":  # the question we asked for after a bare 转人工
            clear(ctx, turn.state)
            ctx.decision, ctx.handoff = ASKED_FOR_PERSON, Handoff(ASKED_FOR_PERSON, msg.text)
            return None
        return _hand_off(ctx, msg, turn)


def _no_menu(ctx: Context, msg: Inbound, number: int | None) -> Turn | None:
    """A bare '1'/'第二个' with nothing to pick from (unless it answers a staff question)."""
    if number is None or threads.staff_asked(ctx.session, msg.open_id, ctx.now()) is not None:
        return None
    return Turn("no_menu", None)


def _thread_answer(ctx: Context, msg: Inbound) -> Turn | None:
    """The resident's answer to '补充工单#N，还是新问题？'."""
    state = live(ctx, msg.open_id, "thread_ask")
    if state is None:
        return None
    choice = thread_answer(msg.text)
    return Turn("thread", state, {"choice": choice}) if choice else None


def _thread_choice(ctx: Context, msg: Inbound, turn: Turn) -> Reply | None:
    """Remember the resident's choice and handle the message we asked about accordingly."""
    data, choice = dict(turn.state.data), turn.option["choice"]
    clear(ctx, turn.state)
    ticket = tickets.get(ctx.session, data["ticket_id"], for_update=True)
    if ticket is None or ticket.status not in tickets.ACTIVE:
        choice = "new"
    else:
        put_state(ctx.session, msg.open_id, "thread_pref", {"ticket_id": ticket.id, "choice": choice},
                  ctx.now(), timedelta(hours=2))
    earlier = replace(msg, text=data.get("text", ""))
    ctx.thread_choice = choice
    reply = ctx.services.pipeline.run_after(Conversation.name, earlier, ctx)
    if ctx.ticket_id and data.get("msg_key"):  # the earlier message belongs where it went
        table = InboundMessage.__table__
        ctx.session.execute(update(table).where(table.c.msg_key == data["msg_key"])
                            .values(ticket_id=ctx.ticket_id))
    return reply


def _chosen(options: list[dict], number: int | None, text: str) -> dict | None:
    if number is not None:
        return options[number - 1] if 1 <= number <= len(options) else None
    best = max(options, key=lambda o: fuzz.ratio(text, o["question"]), default=None)
    return best if best and fuzz.ratio(text, best["question"]) >= 80 else None


def _answer_pick(ctx: Context, msg: Inbound, turn: Turn) -> Reply:
    clear(ctx, turn.state)
    entry = ctx.services.matchers.current(ctx.session).entries.get(turn.option["faq_id"])
    ctx.decision = "menu_pick"
    question = turn.state.data.get("text")
    ctx.scores = {"picked": turn.option["faq_id"], "menu_for": question}
    if entry is None:  # disabled since the menu was shown
        return _hand_off(ctx, msg, turn)
    reply = answer_reply(ctx, msg, entry)
    # a later "0" hands on the resident's own question, not the "2" they picked with
    remember_answer(ctx, msg.open_id, entry.id, question or entry.question)
    return reply


def _hand_off(ctx: Context, msg: Inbound, turn: Turn) -> Reply | None:
    """Let the ticket handler take it, with the question the resident asked; ask for it if unknown."""
    data = turn.state.data if turn.state is not None else {}
    clear(ctx, turn.state)
    ctx.decision = ASKED_FOR_PERSON
    ctx.handoff = Handoff(ASKED_FOR_PERSON, data.get("text") or "")
    if data.get("text"):
        return None
    if bare_request_for_person(msg.text) and tickets.active_for_resident(ctx.session, msg.open_id) is None:
        save_state(ctx, msg.open_id, "await_question", {}, minutes=AWAIT_QUESTION_MINUTES)
        ctx.decision = "asked_for_question"
        return Reply(M.HUMAN_NEEDS_QUESTION)
    return None
