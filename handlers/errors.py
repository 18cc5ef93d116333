"""The one error hook: store the failed delivery with its apology so a retry gets the same."""
from __future__ import annotations

import logging
import traceback

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import transaction
from bot.db.models import InboundMessage
from bot.domain import Inbound, Reply

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
            if services.on_error_ticket is not None:
                services.on_error_ticket(session, msg, row)
        return apology

    return on_error
