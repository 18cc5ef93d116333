"""`绑定 123456`: a staff member binds their WeChat account with a one-time code from the console."""
from __future__ import annotations

import logging
import re
from datetime import timedelta

from sqlalchemy import select, update

from bot import ratelimit
from bot.db.models import Staff
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import texts as M

PATTERN = re.compile(r"^\s*绑定\s*[:：]?\s*(\d{6})\s*$")
GLOBAL_KEY = "bind:all-senders"

log = logging.getLogger("linli.bind")


class Bind:
    name = "bind"

    def check(self, msg: Inbound, ctx: Context):
        if msg.kind != "text":
            return None
        m = PATTERN.match(msg.text or "")
        return m.group(1) if m else None

    def handle(self, msg: Inbound, ctx: Context, code: str) -> Reply:
        """Bind the sender's open_id to the staff member holding this unexpired code."""
        ctx.decision = "bind"
        now, limits = ctx.now(), ctx.settings.limits
        window = timedelta(minutes=limits.bind_window_minutes)
        # Counted before the code is looked at: past the limit even the right code does not bind.
        sender = ratelimit.fixed_window(limits.bind_attempts_per_sender, window)
        if not ratelimit.reserve(ctx.session, ratelimit.key_for("bind", msg.open_id), sender, now):
            ctx.decision = "bind:limited"
            return Reply(M.BIND_TOO_MANY)
        staff = ctx.session.scalar(select(Staff).where(Staff.bind_code == code, Staff.active.is_(True)))
        if staff is None or staff.bind_code_expires is None or staff.bind_code_expires < now:
            _failed(ctx, window)
            return Reply(M.BIND_INVALID)
        other = ctx.session.scalar(select(Staff).where(Staff.open_id == msg.open_id, Staff.id != staff.id))
        if other is not None:
            return Reply(M.BIND_TAKEN.format(name=other.name))
        staff.open_id = msg.open_id
        staff.bind_code = None
        staff.bind_code_expires = None
        return Reply(M.BIND_BOUND.format(name=staff.name))


def _failed(ctx: Context, window: timedelta) -> None:
    """A wrong code anywhere counts against every outstanding code: enough of them voids them all."""
    limit = ctx.settings.limits.bind_failures_global
    policy = ratelimit.fixed_window(limit, window)
    if ratelimit.count(ctx.session, GLOBAL_KEY, policy, ctx.now()) < limit:
        return
    voided = ctx.session.execute(update(Staff).where(Staff.bind_code.is_not(None))
                                 .values(bind_code=None, bind_code_expires=None)).rowcount
    ratelimit.forget(ctx.session, GLOBAL_KEY)
    log.warning("%d wrong bind codes within %s: %d outstanding codes voided", limit, window, voided or 0)
