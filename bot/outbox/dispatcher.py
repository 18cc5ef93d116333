"""The outbox dispatcher: claim due rows, send them, record the outcome.

Delivery is AT LEAST ONCE. A claim (status 'sending', claimed_by, claimed_until) is committed
before the HTTP call, so two dispatchers never send the same row at the same time (PostgreSQL:
SELECT … FOR UPDATE SKIP LOCKED; SQLite: the claim runs under BEGIN IMMEDIATE). If a dispatcher
dies between the send and the commit of 'sent', the row stays 'sending' until claimed_until and
is then sent again: the resident may receive that one message twice. The WeChat API has no
idempotency key, so the choice is a bounded duplicate over a lost staff answer. The bound: one
extra send per dispatcher crash, and never more than outbox.max_attempts sends of one row — a
stale claim whose attempts are used up is marked failed ("delivery unknown"), not sent again.
"""
from __future__ import annotations

import logging
import os
import socket
import threading
from collections import Counter
from datetime import datetime, timedelta

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.db.models import Outbox
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.outbox.transports import ChainFailed, Delivery, DeliveryError, build_transports
from bot.outbox.undelivered import undelivered
from bot.tickets.delivery import tell_resident_reached, undeliverable
from bot.tickets.media import fetch_due

log = logging.getLogger("linli.dispatch")


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{threading.get_ident()}"


def transports_for(services):
    """One transport set per process (kept in services.transports)."""
    if services.transports is None:
        services.transports = build_transports(services)
    return services.transports


def dispatch_due(services, now: datetime | None = None, limit: int = 50, worker_id: str | None = None,
                 transports=None) -> int:
    """Send up to `limit` due outbox rows; returns how many were sent.

    Rows are claimed in rounds of at most outbox.per_recipient per recipient, so a flood to one
    person never delays the others; further rounds follow at once while rows are due and `limit`
    allows and the cap held some back, so a backlog (a storm of new-ticket notices to the duty
    pair) drains as fast as WeChat accepts it instead of a few rows per recipient per tick.
    """
    now = now or services.clock.now()
    worker = worker_id or default_worker_id()
    transports = transports or transports_for(services)
    sent = claimed = 0
    at = now
    while claimed < limit:
        batch = claim(services, at, limit - claimed, worker)
        claimed += len(batch)
        for delivery in batch:
            sent += _deliver(services, transports, delivery, worker, at)
        at = max(now, services.clock.now())  # a later round's claims run from when it starts
        if not _held_back(batch, services.settings.outbox.per_recipient):
            break
    _fetch_media(services, now)
    return sent


def _held_back(batch: list[Delivery], per_recipient: int) -> bool:
    """True when the fairness cap may have left rows of some recipient for another round."""
    return any(n >= per_recipient for n in Counter(d.recipient for d in batch).values())


def _fetch_media(services, now: datetime) -> None:
    """Photos, voice and video residents sent: downloaded here, never on the webhook (issue 13)."""
    try:
        fetch_due(services, now)
    except Exception:  # a media problem must not stop the outbox
        log.exception("media download round failed")


def _due(now: datetime, max_attempts: int):
    retry = and_(Outbox.status.in_(("pending", "failed")), Outbox.attempts < max_attempts,
                 Outbox.next_attempt_at <= now)
    stale = and_(Outbox.status == "sending", Outbox.claimed_until < now, Outbox.attempts < max_attempts)
    return or_(retry, stale)


def _fair_due(now: datetime, out):
    """Ids of due rows, at most `per_recipient` per recipient (one flood cannot starve the others)."""
    order = (Outbox.priority.desc(), Outbox.next_attempt_at, Outbox.id)
    ranked = (select(Outbox.id, func.row_number().over(partition_by=Outbox.recipient, order_by=order).label("rn"))
              .where(_due(now, out.max_attempts)).subquery())
    return select(ranked.c.id).where(ranked.c.rn <= out.per_recipient)


def claim(services, now: datetime, limit: int, worker: str) -> list[Delivery]:
    """Mark due rows as ours and commit before anything is sent: urgent rows first, fair per recipient."""
    out = services.settings.outbox
    with transaction(services.session_factory) as s:
        _give_up_stale(s, now, out.max_attempts)
        # _due() again on the outer query: PostgreSQL re-checks it on a row another dispatcher
        # claimed and committed after this statement's snapshot (the id list alone would not)
        q = (select(Outbox).where(Outbox.id.in_(_fair_due(now, out)), _due(now, out.max_attempts))
             .order_by(Outbox.priority.desc(), Outbox.next_attempt_at, Outbox.id).limit(limit))
        if s.bind.dialect.name == "postgresql":
            q = q.with_for_update(skip_locked=True)
        rows = list(s.scalars(q))
        for r in rows:
            r.status, r.claimed_by = "sending", worker
            r.claimed_until = now + timedelta(seconds=out.claim_seconds)
            r.attempts += 1
        return [Delivery(r.id, r.channel, r.recipient, r.text, r.ticket_id, dict(r.payload or {})) for r in rows]


def _give_up_stale(s: Session, now: datetime, max_attempts: int) -> None:
    s.execute(update(Outbox).where(Outbox.status == "sending", Outbox.claimed_until < now,
                                   Outbox.attempts >= max_attempts)
              .values(status="failed", last_error="dispatcher died after its last attempt; delivery unknown"))


def _deliver(services, transports, d: Delivery, worker: str, now: datetime) -> int:
    try:
        via = transports.send(d)
    except DeliveryError as exc:
        log.warning("outbox %s to %s failed: %s", d.id, d.recipient, exc)
        _record_failure(services, d, worker, now, exc)
        return 0
    except Exception as exc:  # a bug in a transport must not stop the other rows
        log.exception("outbox %s: unexpected error while sending", d.id)
        _record_failure(services, d, worker, now, DeliveryError(f"{exc.__class__.__name__}: {exc}"))
        return 0
    with transaction(services.session_factory) as s:
        row = _mine(s, d, worker)
        if row is None:
            log.warning("outbox %s was sent but its claim had expired and was taken over", d.id)
            return 1
        row.status, row.sent_at, row.last_error = "sent", now, None
        if via != row.channel:  # which staff channel carried it (its delivery state)
            row.payload = {**(row.payload or {}), "via": via}
        if row.channel == "staff" and row.priority:
            tell_resident_reached(s, row, now)
    return 1


def _mine(s: Session, d: Delivery, worker: str) -> Outbox | None:
    """The row, if our claim still holds (a fence against a dispatcher that took it over)."""
    row = s.get(Outbox, d.id, with_for_update=True)
    if row is None or row.status != "sending" or row.claimed_by != worker:
        return None
    return row


def _record_failure(services, d: Delivery, worker: str, now: datetime, exc: DeliveryError) -> None:
    out = services.settings.outbox
    with transaction(services.session_factory) as s:
        row = _mine(s, d, worker)
        if row is None:
            return
        row.last_error = str(exc)[:1000]
        if isinstance(exc, ChainFailed):
            row.payload = {**(row.payload or {}), "tried": exc.tried}
            undelivered(s, services, row, now)  # partner and lead told at once; the row keeps retrying
            if exc.hopeless:
                row.status, row.attempts = "failed", out.max_attempts
                return
        if exc.out_of_window:
            _out_of_window(s, services, row, now)
            return
        row.status = "failed"
        if row.attempts < out.max_attempts:
            delay = min(out.backoff_base_s * 2 ** (row.attempts - 1), out.backoff_max_s)
            row.next_attempt_at = now + timedelta(seconds=delay)
        else:
            _gave_up(s, services, row, now)


def _out_of_window(s: Session, services, row: Outbox, now: datetime) -> None:
    """45015/45047: a template message if configured, else the ticket is flagged 'please phone'."""
    row.status = "fallback"
    template_id = services.settings.outbox.template_id
    if row.channel == "customer_service" and template_id:
        enqueue(s, OutboundMessage(recipient=row.recipient, text=row.text, channel="template",
                                   ticket_id=row.ticket_id, dedupe_key=f"fallback:{row.id}",
                                   extra={"kind": row.payload.get("kind", "resident"), "fallback_for": row.id}), now)
        return
    if undeliverable(s, services, row, now, out_of_window=True):  # kept: the resident's next message carries it
        row.status = "deferred"
    else:
        log.warning("outbox %s: %s is outside the 48-hour window; nothing else to try", row.id, row.recipient)


def _gave_up(s: Session, services, row: Outbox, now: datetime) -> None:
    """No retries left: tell the ticket's staff so a person phones the resident."""
    log.error("outbox %s to %s failed for good: %s", row.id, row.recipient, row.last_error)
    undeliverable(s, services, row, now, out_of_window=False)
