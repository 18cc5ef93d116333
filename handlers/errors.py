"""The one error hook: store the failed delivery with its apology so a retry gets the same, and
still leave the resident with a ticket (a crashed handler must not lose their message)."""
from __future__ import annotations

import logging
import traceback

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot import tickets
from bot.db import transaction
from bot.db.models import InboundMessage
from bot.domain import Inbound, Reply
from knowledge_base.router import route

log = logging.getLogger("linli.errors")


def make_error_hook(services):
    """Build the hook the pipeline calls after a handler raised (the transaction is rolled back)."""

    def on_error(msg: Inbound, apology: Reply) -> Reply:
        with transaction(services.session_factory) as session:
            existing = session.scalar(select(InboundMessage).where(InboundMessage.msg_key == msg.msg_key))
            if existing is not None:
                return Reply(existing.reply_text or "")
            row = InboundMessage(
                msg_key=msg.msg_key, open_id=msg.open_id, kind=msg.kind, text=msg.text, payload={},
                sent_at=msg.at, received_at=services.clock.now(), handler="error",
                decision="error", reply_text=apology.text, error=traceback.format_exc(limit=5),
            )
            try:
                with session.begin_nested():
                    session.add(row)
            except IntegrityError:
                pass
            _ticket_after_error(session, services, msg, row)
        return apology

    return on_error


def _ticket_after_error(session, services, msg: Inbound, row) -> None:
    """A resident's message still becomes a ticket (or joins their open one) after a handler error."""
    if msg.kind == "event" or services.staff_directory.by_open_id(session, msg.open_id):
        return
    try:
        with session.begin_nested():
            ticket = _open_or_follow(session, services, msg)
            if row is not None and row in session:
                row.ticket_id = ticket.id
    except Exception:
        log.exception("could not open a ticket after a handler error for %s", msg.msg_key)


def _open_or_follow(session, services, msg: Inbound):
    now = services.clock.now()
    ticket = tickets.active_for_resident(session, msg.open_id)
    if ticket is not None:
        tickets.add_followup(session, services, ticket, msg, now)
        return ticket
    found = route(msg.text, None, services.settings.routing)
    return tickets.open_ticket(session, services, msg, found, now, reason="error")
