"""The morning digest: staff notices held during quiet hours arrive as one message per person."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Outbox, Staff
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue
from bot.tickets.notify import staff_message

ITEMS_PER_MESSAGE = 15


def _item(text: str) -> str:
    """A held notice on one or two lines: its heading and the question, if it has one."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    question = next((ln for ln in lines[1:] if ln.startswith(M.NOTICE_QUESTION_LINES)), "")
    return lines[0] + (f" {question}" if question else "") if lines else ""


def digest_texts(name: str, texts: list[str], settings) -> list[str]:
    """The digest for one person, in messages of at most ITEMS_PER_MESSAGE notices."""
    quiet = settings.escalation.quiet_hours
    span = M.MORNING_SPAN.format(start=quiet.start, end=quiet.end) if quiet is not None else ""
    items = [M.MORNING_ITEM.format(n=i, item=_item(t)) for i, t in enumerate(texts, 1)]
    parts = [items[i:i + ITEMS_PER_MESSAGE] for i in range(0, len(items), ITEMS_PER_MESSAGE)]
    head = M.MORNING_HEAD.format(name=name, span=span, count=len(texts))
    return ["\n".join(([head] if n == 0 else [M.MORNING_MORE.format(n=n + 1)]) + part
                      + ([M.MORNING_TAIL] if n == len(parts) - 1 else []))
            for n, part in enumerate(parts)]


def morning_digest_due(session: Session, services, now: datetime, by: str = "") -> dict[str, int]:
    """Merge every held notice whose hold has ended into one digest per person; returns counts by name."""
    q = (select(Outbox).where(Outbox.status == "held", Outbox.next_attempt_at <= now)
         .order_by(Outbox.id).with_for_update())
    held: dict[str, list[Outbox]] = defaultdict(list)
    for row in session.scalars(q):
        held[row.recipient].append(row)
    done = {}
    for recipient, rows in held.items():
        payload = {k: v for k, v in rows[0].payload.items() if k not in ("held", "forwarded_for")}
        name = payload.get("staff") or recipient
        person = session.get(Staff, payload["staff_id"]) if payload.get("staff_id") else None
        for part, text in enumerate(digest_texts(name, [r.text for r in rows], services.settings)):
            key = f"morning:{rows[0].id}:{part}"
            if person is not None:  # like every staff notice: through tickets.notify
                staff_message(session, services.settings, person, text, now, key)
            else:  # a held row that names nobody in the staff table still reaches its recipient
                enqueue(session, OutboundMessage(recipient=recipient, text=text, channel="staff", dedupe_key=key,
                                                 extra=payload), now)
        for r in rows:
            r.status, r.payload = "merged", {**r.payload, "digest": f"morning:{rows[0].id}"}
        done[name] = len(rows)
    return done
