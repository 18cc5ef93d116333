"""Runs one inbound message through the ordered handler list, in one transaction."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol, Sequence

from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.db import transaction
from bot.db.models import InboundMessage
from bot.domain import Inbound, OutboundMessage, Reply
from bot.outbox.enqueue import enqueue

log = logging.getLogger("linli.pipeline")

APOLOGY = "抱歉，系统刚才出了点小问题，您的消息已转给值班工作人员，我们会尽快回复您。如有急事请拨打社区值班电话{phone}。"


@dataclass
class Context:
    """What a handler may use: injected, never global."""

    session: Session
    clock: Clock
    settings: Settings
    services: Any  # bot.services.Services (kept loose to avoid an import cycle)
    record_id: int | None = None  # this delivery's stored row (set by dedupe)
    duplicate: bool = False
    notes: dict[str, Any] = field(default_factory=dict)  # decision, scores, ticket_id ...

    def now(self):
        return self.clock.now()

    def send(self, msg: OutboundMessage) -> None:
        """Queue an outbound message in this transaction."""
        enqueue(self.session, msg, self.clock.now())


class Handler(Protocol):
    name: str

    def check(self, msg: Inbound, ctx: Context) -> Any | None:
        """Return a match (anything truthy) if this handler takes the message."""

    def handle(self, msg: Inbound, ctx: Context, match: Any) -> Reply | None:
        """Act on the message; a Reply ends the pipeline, None passes it on."""


class Pipeline:
    def __init__(self, handlers: Sequence[Handler], session_factory: sessionmaker, clock: Clock,
                 settings: Settings, services: Any, on_error=None):
        self.handlers = list(handlers)
        self.session_factory = session_factory
        self.clock = clock
        self.settings = settings
        self.services = services
        self.on_error = on_error

    def process(self, msg: Inbound) -> Reply:
        """Answer one message; never raises (the error hook answers instead)."""
        try:
            with transaction(self.session_factory) as session:
                ctx = Context(session, self.clock, self.settings, self.services)
                return self._run(msg, ctx)
        except (DBAPIError, PendingRollbackError) as exc:  # issue 7 hook: database unreachable -> spool
            from bot.spool import spool_or_apologise

            return spool_or_apologise(self, msg, exc)
        except Exception:
            log.exception("handler pipeline failed for %s", msg.msg_key)
            return self._apologise(msg)

    def _run(self, msg: Inbound, ctx: Context) -> Reply:
        for handler in self.handlers:
            match = handler.check(msg, ctx)
            if match is None or match is False:
                continue
            reply = handler.handle(msg, ctx, match)
            if reply is not None:
                for finish in ctx.notes.pop("finish", ()):  # e.g. deferred staff answers go first (issue 13)
                    reply = finish(reply)
                self._record(ctx, handler.name, reply)
                return reply
        raise RuntimeError("no handler answered; the fallback handler must be last")

    @staticmethod
    def _record(ctx: Context, handler: str, reply: Reply) -> None:
        """Store who answered, how, and the reply on this delivery's row (one UPDATE)."""
        if ctx.duplicate or ctx.record_id is None:
            return
        values = {"handler": handler, "reply_text": reply.text}
        values.update({k: ctx.notes[k] for k in ("decision", "scores", "ticket_id") if k in ctx.notes})
        table = InboundMessage.__table__  # Core UPDATE: no ORM bookkeeping on the hot path
        ctx.session.execute(update(table).where(table.c.id == ctx.record_id).values(**values))

    def _apologise(self, msg: Inbound) -> Reply:
        reply = Reply(APOLOGY.format(phone=self.settings.desk.duty_phone))
        try:
            if self.on_error is not None:
                return self.on_error(msg, reply) or reply
        except Exception as exc:
            log.exception("error hook failed for %s", msg.msg_key)
            # The apology promises a hand-over: keep the message in the spool, or make WeChat retry.
            from bot.spool import NotStored, keep, unavailable

            if unavailable(exc):
                return keep(self.services, msg)
            raise NotStored(msg.msg_key) from exc
        return reply
