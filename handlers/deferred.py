"""Staff answers the 48-hour window held back reach the resident first, in the reply to their next message."""
from __future__ import annotations

from bot.db.models import Ticket
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.tickets import deferred
from bot import texts as M
from bot.tickets.core import notify_assignee_or_duty


class Deferred:
    name = "deferred"

    def check(self, msg: Inbound, ctx: Context):
        """The resident's held-back messages, if any (never on a WeChat retry)."""
        if ctx.duplicate or ctx.staff:
            return None
        return deferred.waiting(ctx.session, msg.open_id) or None

    def handle(self, msg: Inbound, ctx: Context, rows) -> None:
        """Put them in front of whatever the rest of the pipeline answers; tell their staff."""
        now = ctx.now()
        ctx.finish.append(lambda reply: Reply(deferred.give(rows, reply.text, now)))
        for ticket_id in sorted({r.ticket_id for r in rows if r.ticket_id}):
            ticket = ctx.session.get(Ticket, ticket_id)
            if ticket is not None:
                ticket.unreachable = False
                notify_assignee_or_duty(ctx.session, ctx.services, ticket,
                                        M.DEFERRED_DELIVERED_TO_STAFF.format(id=ticket.id), now)
        return None
