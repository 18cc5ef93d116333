"""Runs one inbound message through the ordered handler list, in one transaction."""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Callable, Protocol, Sequence

from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from bot.clock import Clock
from bot.config import Settings
from bot.db import transaction
from bot.db.models import InboundMessage, Staff
from bot.domain import Handoff, Inbound, OutboundMessage, Reply
from bot.outbox.enqueue import enqueue
from bot.spool import NotStored, keep, spool_or_apologise, unavailable
from bot import texts as M

if TYPE_CHECKING:
    from bot.services import Services
    from knowledge_base.matcher import MatchResult

log = logging.getLogger("linli.pipeline")


ErrorHook = Callable[[Inbound, Reply], "Reply | None"]  # after a handler raised (transaction rolled back)
_UNKNOWN: Any = object()


@dataclass
class Context:
    """What a handler may use and what handlers tell each other about one delivery: typed, never global."""

    session: Session
    clock: Clock
    settings: Settings
    services: Services
    sender: str = ""  # the sender's open_id (ctx.staff looks them up)
    record_id: int | None = None  # this delivery's stored row (set by dedupe)
    duplicate: bool = False
    # Between handlers:
    handoff: Handoff | None = None  # handed on to a person: the ticket handler takes it
    thread_choice: str | None = None  # the resident's answer to '补充工单#N，还是新问题？': join | new
    finish: list[Callable[[Reply], Reply]] = field(default_factory=list)  # applied to the final reply
    understood: dict[str, MatchResult] = field(default_factory=dict)  # bot.understand's cache, by text
    # Recorded on the delivery's row with the reply:
    decision: str | None = None
    scores: dict | None = None
    ticket_id: int | None = None
    _staff: Any = field(default=_UNKNOWN, repr=False)

    def now(self):
        return self.clock.now()

    @property
    def staff(self) -> Staff | None:
        """The registered (active) staff member who sent the message, or None: looked up once."""
        if self._staff is _UNKNOWN:
            self._staff = self.services.staff_directory.by_open_id(self.session, self.sender)
        return self._staff

    @property
    def asked_for_person(self) -> bool:
        """The resident asked for a person (转人工, or a '0' after an answer or a menu)."""
        return self.handoff is not None and self.handoff.reason == "asked_for_person"

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
                 settings: Settings, services: Services, *, on_error: ErrorHook | None):
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
                ctx = Context(session, self.clock, self.settings, self.services, sender=msg.open_id)
                return self._run(msg, ctx)
        except (DBAPIError, PendingRollbackError) as exc:  # issue 7 hook: database unreachable -> spool
            return spool_or_apologise(self, msg, exc)
        except Exception:
            log.exception("handler pipeline failed for %s", msg.msg_key)
            return self._apologise(msg)

    def _run(self, msg: Inbound, ctx: Context) -> Reply:
        answered = self._first_reply(self.handlers, msg, ctx)
        if answered is None:
            raise RuntimeError("no handler answered; the fallback handler must be last")
        name, reply = answered
        finishers, ctx.finish = ctx.finish, []
        for finish in finishers:  # e.g. deferred staff answers go first (issue 13)
            reply = finish(reply)
        self._record(ctx, name, reply)
        return reply

    def run_after(self, name: str, msg: Inbound, ctx: Context) -> Reply | None:
        """Run the handlers after `name` on msg (e.g. an earlier message the resident has now sorted)."""
        start = next(i for i, h in enumerate(self.handlers) if h.name == name) + 1
        answered = self._first_reply(self.handlers[start:], msg, ctx)
        return answered[1] if answered is not None else None

    @staticmethod
    def _first_reply(handlers: Sequence[Handler], msg: Inbound, ctx: Context) -> tuple[str, Reply] | None:
        for handler in handlers:
            match = handler.check(msg, ctx)
            if match is None or match is False:
                continue
            reply = handler.handle(msg, ctx, match)
            if reply is not None:
                return handler.name, reply
        return None

    @staticmethod
    def _record(ctx: Context, handler: str, reply: Reply) -> None:
        """Store who answered, how, and the reply on this delivery's row (one UPDATE)."""
        if ctx.duplicate or ctx.record_id is None:
            return
        values = {"handler": handler, "reply_text": reply.text}
        outcome = {"decision": ctx.decision, "scores": ctx.scores, "ticket_id": ctx.ticket_id}
        values.update({k: v for k, v in outcome.items() if v is not None})
        table = InboundMessage.__table__  # Core UPDATE: no ORM bookkeeping on the hot path
        ctx.session.execute(update(table).where(table.c.id == ctx.record_id).values(**values))

    def _apologise(self, msg: Inbound) -> Reply:
        reply = Reply(M.APOLOGY.format(phone=self.settings.desk.duty_phone))
        try:
            if self.on_error is not None:
                return self.on_error(msg, reply) or reply
        except Exception as exc:
            log.exception("error hook failed for %s", msg.msg_key)
            # The apology promises a hand-over: keep the message in the spool, or make WeChat retry.
            if unavailable(exc):
                return keep(self.services, msg)
            raise NotStored(msg.msg_key) from exc
        return reply
