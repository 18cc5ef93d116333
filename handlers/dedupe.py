"""Store each delivery once (UNIQUE msg_key); a WeChat retry gets the first delivery's reply."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import InboundMessage, Resident
from bot.db.upsert import insert_for
from bot.domain import Inbound, Reply
from bot.pipeline import Context


class Dedupe:
    name = "dedupe"

    def check(self, msg: Inbound, ctx: Context):
        """Insert the message row; on a duplicate key, return the stored row (a retry)."""
        table = InboundMessage.__table__  # Core, not the ORM: this runs for every message
        stmt = (insert_for(ctx.session, table).values(**_row_values(msg, ctx))
                .on_conflict_do_nothing(index_elements=["msg_key"]).returning(table.c.id))
        # A concurrent first delivery holds the key's lock until it commits; then this inserts nothing.
        row_id = ctx.session.execute(stmt).scalar()
        if row_id is None:
            ctx.duplicate = True
            return ctx.session.scalar(select(InboundMessage).where(InboundMessage.msg_key == msg.msg_key))
        ctx.record_id = row_id
        if ctx.staff is None:
            touch_resident(ctx, msg)
        return None

    def handle(self, msg: Inbound, ctx: Context, existing: InboundMessage) -> Reply:
        return Reply(existing.reply_text or "")


def _row_values(msg: Inbound, ctx: Context) -> dict:
    return dict(msg_key=msg.msg_key, open_id=msg.open_id, kind=msg.kind, text=msg.text,
                payload=_payload(msg), sent_at=msg.at, received_at=ctx.now())


def _payload(msg: Inbound) -> dict:
    data = {"event": msg.event, "event_key": msg.event_key, "media_id": msg.media_id,
            "url": msg.url, "raw_type": msg.raw_type}
    if msg.location:
        data["location"] = [msg.location.latitude, msg.location.longitude, msg.location.label]
    return {k: v for k, v in data.items() if v is not None}


def touch_resident(ctx: Context, msg: Inbound) -> None:
    """Upsert the resident and their last message time (opens the 48-hour window), one statement."""
    now = ctx.now()
    if msg.event == "unsubscribe":
        changes = {"subscribed": False}
    elif msg.kind != "event" or msg.event in ("subscribe", "subscribe_scan"):
        changes = {"subscribed": True, "last_message_at": now}
    else:  # other events (menu clicks, location reports) do not open the customer-service window
        changes = {}
    stmt = insert_for(ctx.session, Resident.__table__).values(
        open_id=msg.open_id, first_seen=now, subscribed=msg.event != "unsubscribe",
        last_message_at=changes.get("last_message_at"))
    stmt = (stmt.on_conflict_do_update(index_elements=["open_id"], set_=changes) if changes
            else stmt.on_conflict_do_nothing(index_elements=["open_id"]))
    ctx.session.execute(stmt)
