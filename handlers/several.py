"""Several matters in one message: answer what the FAQ answers, hand the rest to staff, in one reply."""
from __future__ import annotations

import logging
from dataclasses import replace

from bot import tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.tickets import contact, threads
from bot import texts as M
from bot.tickets.matter import STALE_AFTER, NewText, same_matter, split_matters, verdict
from bot.tickets.views import acknowledgement
from bot.conversation import remember_answer
from knowledge_base.router import route

log = logging.getLogger("linli.several")
MAX_REPLY_BYTES = 2048


class Several:
    name = "several"

    def __init__(self, settings):
        self.rules = settings.routing

    def check(self, msg: Inbound, ctx: Context):
        """(live, [(clause, result)]) when some clauses are FAQ answers and others are not."""
        if msg.kind != "text" or not msg.has_text or ctx.handoff is not None or ctx.staff:
            return None
        parts = split_matters(msg.text)
        if len(parts) < 2 or ctx.thread_choice or threads.staff_asked(ctx.session, msg.open_id, ctx.now()):
            return None
        live = ctx.services.matchers.current(ctx.session)
        found = [(p, live.match(p)) for p in parts]
        answered = [f for f in found if _answers(f[1])]
        if not answered or len(answered) == len(found):
            return None
        return live, found

    def handle(self, msg: Inbound, ctx: Context, match) -> Reply:
        live, found = match
        ctx.decision = "several"
        rest = [(p, r) for p, r in found if not _answers(r)]
        ticket, joined = self._ticket(msg, ctx, rest)
        lines, n = [M.SEVERAL_HEAD.format(count=len(found))], 0
        for part, result in found:
            n += 1
            if _answers(result):
                entry = live.entries[result.candidates[0].faq_id]
                remember_answer(ctx, msg.open_id, entry.id, part)
                lines.append(M.SEVERAL_ANSWER.format(n=n, text=_short(part), answer=entry.answer))
            elif (part, result) == rest[0]:
                ack = self._ack(ctx, ticket, joined)
                lines.append(M.SEVERAL_TICKET.format(n=n, text=_short("；".join(p for p, _ in rest)), ack=ack))
        return Reply(_fit("\n".join(lines) + "\n" + M.SEVERAL_TAIL))

    def _ticket(self, msg: Inbound, ctx: Context, rest) -> tuple[object, bool]:
        """One ticket for everything the FAQ could not answer, routed by the first such clause; or the
        open ticket, when that is what the rest is about (then True: the rest joined it)."""
        text = "；".join(p for p, _ in rest)
        found = route(rest[0][0], rest[0][1], self.rules)
        current = tickets.active_for_resident(ctx.session, msg.open_id)
        if current is not None and self._same(ctx, current, text, found.category):
            tickets.add_followup(ctx.session, ctx.services, current, replace(msg, text=text), ctx.now())
            ctx.ticket_id = current.id
            return current, True
        ticket = tickets.open_ticket(ctx.session, ctx.services, replace(msg, text=text), found, ctx.now(),
                                     reason="several")
        ctx.ticket_id = ticket.id
        return ticket, False

    @staticmethod
    def _same(ctx: Context, ticket, text: str, category: str) -> bool:
        idle = ctx.now() - threads.last_activity(ctx.session, ticket)
        score = same_matter(threads.matter_text(ctx.session, ticket), NewText(text, "handoff", category),
                            ticket.category, idle)
        return verdict(score) == "join" and idle <= STALE_AFTER

    @staticmethod
    def _ack(ctx: Context, ticket, joined: bool) -> str:
        if joined:
            name = ticket.assignee.name if ticket.assignee else M.NOBODY
            return M.FOLLOWUP_ACK.format(id=ticket.id, assignee=name)
        return acknowledgement(ticket, ctx.settings) + contact.ask_once(ctx.session, ticket, ctx.now())


def _answers(result) -> bool:
    return result.decision == "answer" and result.guard is None and bool(result.candidates)


def _short(text: str, n: int = 16) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _fit(text: str) -> str:
    """WeChat refuses passive replies over 2048 bytes: shorten from the end of the longest line."""
    while len(text.encode("utf-8")) > MAX_REPLY_BYTES:
        lines = text.split("\n")
        i = max(range(len(lines)), key=lambda k: len(lines[k]))
        lines[i] = lines[i][: max(10, len(lines[i]) - 40)] + "…"
        text = "\n".join(lines)
    return text
