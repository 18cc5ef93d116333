"""Follow-ups join the resident's open ticket only when they are about the same matter."""
from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from datetime import timedelta

from bot import tickets
from bot.conversation import put_state
from bot.domain import RESIDENT_KINDS, Inbound, Reply
from bot.pipeline import Context
from bot.understand import understand
from bot.tickets import contact, threads
from bot import texts as M
from bot.tickets.matter import STALE_AFTER, NewText, same_matter, verdict
from knowledge_base.phrases import small_talk, wants_person
from knowledge_base.router import route
from knowledge_base.settings import RoutingSettings

log = logging.getLogger("linli.thread")

# An answered ticket keeps collecting follow-ups this long after the answer; later messages are new.
ANSWERED_WINDOW = timedelta(hours=24)
ASK_TTL = timedelta(hours=2)


@dataclass(frozen=True)
class Decision:
    ticket: object  # bot.db.models.Ticket
    action: str  # join | ask | small_talk
    why: str
    kind: str = ""  # small talk: greeting | thanks | emoji


class Thread:
    name = "thread"

    def __init__(self, settings=None):
        self.rules = settings.routing if settings is not None else RoutingSettings()

    def check(self, msg: Inbound, ctx: Context) -> Decision | None:
        """Join, ask or a polite word, when the resident has an active ticket; None for a new matter."""
        if msg.kind not in RESIDENT_KINDS or ctx.staff or ctx.thread_choice == "new":
            return None
        ticket = tickets.active_for_resident(ctx.session, msg.open_id)
        if ticket is None:
            return None
        if ticket.status == "answered" and ctx.now() - (ticket.answered_at or ticket.created_at) > ANSWERED_WINDOW:
            return None
        return self._decide(msg, ctx, ticket)

    def _decide(self, msg: Inbound, ctx: Context, ticket) -> Decision | None:
        now, session = ctx.now(), ctx.session
        if threads.staff_asked(session, msg.open_id, now) == ticket.id:
            return Decision(ticket, "join", "reply_to_staff")
        if ctx.thread_choice == "join":
            return Decision(ticket, "join", "resident_said_join")
        if _asks_for_person(msg, ctx) and not _handoff_text(ctx):
            return Decision(ticket, "join", "asked_for_person")
        if msg.has_text and (kind := small_talk(msg.text)):
            return Decision(ticket, "small_talk", kind, kind)
        stale = now - threads.last_activity(session, ticket) > STALE_AFTER
        if ticket.priority == "urgent" and ticket.status == "open" and not stale:
            return Decision(ticket, "join", "urgent_open")  # an emergency still open: every word re-alerts (issue 14)
        if not msg.has_text or contact.only_contact(msg.text) or _gives_address(msg.text, ticket):
            return None if stale else Decision(ticket, "join", f"kind:{msg.kind}" if not msg.has_text else "contact")
        return self._by_meaning(msg, ctx, ticket, stale)

    def _by_meaning(self, msg: Inbound, ctx: Context, ticket, stale: bool) -> Decision | None:
        text = _handoff_text(ctx) or msg.text
        score = same_matter(threads.matter_text(ctx.session, ticket), self._about(text, ctx), ticket.category,
                            ctx.now() - threads.last_activity(ctx.session, ticket))
        found = verdict(score)
        ctx.scores = {**(ctx.scores or {}), "same_matter": round(score, 3), "ticket": ticket.id}
        remembered = threads.thread_choice(ctx.session, msg.open_id, ticket.id, ctx.now())
        if found == "ask" and remembered:
            found = remembered
        if found == "ask" and _handoff_text(ctx):
            found = "new"  # 转人工 about a question of its own: hand that question on, do not ask
        if found == "ask" and threads.pending_question(ctx.session, msg.open_id, ctx.now()) is not None:
            found = "new"  # asked once already: do not ask again while that question is open
        if stale and found == "join":
            found = "ask"
        if found == "new" or (stale and found != "ask"):
            return None
        return Decision(ticket, found, f"same_matter:{score:.2f}")

    def _about(self, text: str, ctx: Context) -> NewText:
        """The FAQ matcher's decision and the router's category for the new text."""
        try:
            result = understand(ctx, text)
        except Exception:  # a broken matcher must not lose the follow-up
            log.exception("matcher failed while threading a follow-up")
            return NewText(text)
        return NewText(text, result.decision if result.guard is None else "handoff",
                       route(text, result, self.rules).category)

    def handle(self, msg: Inbound, ctx: Context, d: Decision) -> Reply:
        ticket = d.ticket
        ctx.ticket_id = ticket.id
        if d.action == "small_talk":
            return _small_talk(msg, ctx, d)
        if d.action == "ask":
            return _ask(msg, ctx, ticket)
        return join(msg, ctx, ticket, d.why)


def join(msg: Inbound, ctx: Context, ticket, why: str) -> Reply:
    """Add the message to the ticket, tell its staff, and acknowledge."""
    human = why == "asked_for_person" or _asks_for_person(msg, ctx)
    ctx.decision = "thread:human" if human else f"thread:{why}"[:32]
    if _handoff_text(ctx) and human:  # 转人工 about this very matter: the question, not "0"
        msg = replace(msg, text=_handoff_text(ctx))
    to_staff_question = why == "reply_to_staff"
    tickets.add_followup(ctx.session, ctx.services, ticket, msg, ctx.now(), asked_for_person=human,
                         reply_to_question=to_staff_question)
    if to_staff_question:
        threads.resident_replied_to_staff(ctx.session, msg.open_id, ctx.now())
    name = ticket.assignee.name if ticket.assignee else None
    if human:
        return Reply(M.HUMAN_ACK.format(id=ticket.id, assignee=name or M.NOBODY, phone=ctx.settings.desk.duty_phone))
    if ticket.priority == "urgent":  # never "请耐心等候" on an emergency: everyone is alerted again (issue 14)
        return Reply(M.FOLLOWUP_ACK_URGENT.format(id=ticket.id, phone=ctx.settings.desk.duty_phone))
    return Reply(M.FOLLOWUP_ACK.format(id=ticket.id, assignee=name) if name else M.FOLLOWUP_ACK_NOBODY.format(id=ticket.id))


def _small_talk(msg: Inbound, ctx: Context, d: Decision) -> Reply:
    """A greeting, thanks or emoji: answered politely, recorded, never sent to staff."""
    ctx.decision = f"thread:{d.kind}"
    tickets.event(ctx.session, d.ticket, "resident", "acknowledged", ctx.now(), text=msg.text)
    if d.kind == "thanks":
        return Reply(M.THANKS_REPLY)
    if d.kind == "greeting":
        return Reply(M.OPEN_TICKET_GREETING.format(id=d.ticket.id))
    return Reply(M.EMOJI_REPLY)


def _ask(msg: Inbound, ctx: Context, ticket) -> Reply:
    """Unsure: ask once, keep the message (on the ticket's log, not sent to staff) until answered."""
    ctx.decision = "thread:ask"
    tickets.event(ctx.session, ticket, "resident", "unsorted", ctx.now(), text=msg.describe(), msg_key=msg.msg_key)
    put_state(ctx.session, msg.open_id, "thread_ask",
              {"ticket_id": ticket.id, "text": msg.text, "msg_key": msg.msg_key, "kind": msg.kind},
              ctx.now(), ASK_TTL)
    subject = ticket.subject if len(ticket.subject) <= 14 else ticket.subject[:14] + "…"
    return Reply(M.THREAD_ASK.format(id=ticket.id, subject=subject))


def _gives_address(text: str, ticket) -> bool:
    """Where the resident lives, sent for a ticket that needs a visit: details for that ticket."""
    return ticket.category in contact.NEEDS_VISIT_OR_CALL and bool(contact.parse(text).address)


def _asks_for_person(msg: Inbound, ctx: Context) -> bool:
    """转人工 and friends, or a '0' the conversation handler read as a request for a person."""
    return wants_person(msg.text) or ctx.asked_for_person


def _handoff_text(ctx: Context) -> str:
    """The question a request for a person hands on ("0" after an answer: the question answered)."""
    return ctx.handoff.text if ctx.handoff is not None else ""
