"""The morning digest: staff notices held during quiet hours arrive as one message per person."""
from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db.models import Outbox
from bot.domain import OutboundMessage
from bot.outbox.enqueue import enqueue

ITEMS_PER_MESSAGE = 15


def _item(text: str) -> str:
    """A held notice on one or two lines: its heading and the question, if it has one."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    question = next((ln for ln in lines[1:] if ln.startswith(("问题：", "居民问题：", "内容："))), "")
    return lines[0] + (f" {question}" if question else "") if lines else ""


def digest_texts(name: str, texts: list[str], settings) -> list[str]:
    """The digest for one person, in messages of at most ITEMS_PER_MESSAGE notices."""
    quiet = settings.escalation.quiet_hours
    span = f"（{quiet.start}–{quiet.end}）" if quiet is not None else ""
    items = [f"{i}. {_item(t)}" for i, t in enumerate(texts, 1)]
    parts = [items[i:i + ITEMS_PER_MESSAGE] for i in range(0, len(items), ITEMS_PER_MESSAGE)]
    head = f"【夜间汇总】{name}您好，夜间{span}暂存了 {len(texts)} 条通知，现在一起发给您："
    return ["\n".join(([head] if n == 0 else [f"【夜间汇总·续{n + 1}】"]) + part
                      + (["发送“待办”查看您的全部工单；答复请发送“#工单号 回复内容”。"] if n == len(parts) - 1 else []))
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
        for part, text in enumerate(digest_texts(name, [r.text for r in rows], services.settings)):
            enqueue(session, OutboundMessage(recipient=recipient, text=text, channel="staff",
                                             dedupe_key=f"morning:{rows[0].id}:{part}", extra=payload), now)
        for r in rows:
            r.status, r.payload = "merged", {**r.payload, "digest": f"morning:{rows[0].id}"}
        done[name] = len(rows)
    return done
