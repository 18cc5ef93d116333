"""Store each delivery once (UNIQUE msg_key); a WeChat retry gets the first delivery's reply."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db.models import InboundMessage, Resident
from bot.domain import Inbound, Reply
from bot.pipeline import Context


class Dedupe:
    name = "dedupe"

    def check(self, msg: Inbound, ctx: Context):
        """Insert the message row; on a duplicate key, return the stored row (a retry)."""
        row = _new_row(msg, ctx)
        try:
            with ctx.session.begin_nested():
                ctx.session.add(row)
        except IntegrityError:
            existing = ctx.session.scalar(
                select(InboundMessage).where(InboundMessage.msg_key == msg.msg_key)
            )
            ctx.duplicate = True
            return existing
        ctx.record = row
        if not _is_staff(msg, ctx):
            touch_resident(ctx, msg)
        return None

    def handle(self, msg: Inbound, ctx: Context, existing: InboundMessage) -> Reply:
        return Reply(existing.reply_text or "")


def _new_row(msg: Inbound, ctx: Context) -> InboundMessage:
    return InboundMessage(
        msg_key=msg.msg_key, open_id=msg.open_id, kind=msg.kind, text=msg.text,
        payload=_payload(msg), sent_at=msg.at, received_at=ctx.now(),
    )


def _payload(msg: Inbound) -> dict:
    data = {"event": msg.event, "event_key": msg.event_key, "media_id": msg.media_id,
            "url": msg.url, "raw_type": msg.raw_type}
    if msg.location:
        data["location"] = [msg.location.latitude, msg.location.longitude, msg.location.label]
    return {k: v for k, v in data.items() if v is not None}


def _is_staff(msg: Inbound, ctx: Context) -> bool:
    return ctx.services.staff_directory.by_open_id(ctx.session, msg.open_id) is not None


def touch_resident(ctx: Context, msg: Inbound) -> Resident:
    """Record the resident and their last message time (opens the 48-hour window)."""
    resident = ctx.session.scalar(select(Resident).where(Resident.open_id == msg.open_id))
    now = ctx.now()
    if resident is None:
        resident = Resident(open_id=msg.open_id, first_seen=now, last_message_at=now)
        try:
            with ctx.session.begin_nested():
                ctx.session.add(resident)
        except IntegrityError:  # first messages of one resident racing in two workers
            resident = ctx.session.scalar(select(Resident).where(Resident.open_id == msg.open_id))
    if msg.event == "unsubscribe":
        resident.subscribed = False
    elif msg.kind != "event" or msg.event in ("subscribe", "subscribe_scan"):
        resident.subscribed = True
        resident.last_message_at = now
    return resident
