"""A deactivated staff member's staff command is not a resident's question (issue 16).

Their other messages go on as a resident's (a former colleague may well live in the community)."""
from __future__ import annotations

import time

from sqlalchemy import select

from bot.db.models import Staff
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.tickets.commands import parse
from bot import texts as M

TTL_S = 5.0


class FormerStaff:
    name = "former_staff"

    def __init__(self) -> None:
        self._open_ids: frozenset[str] = frozenset()
        self._loaded = -1.0

    def _former(self, ctx: Context) -> frozenset[str]:
        """open_ids of deactivated staff, re-read every few seconds (residents cost no query between)."""
        if time.monotonic() - self._loaded > TTL_S:
            rows = ctx.session.scalars(select(Staff.open_id).where(Staff.active.is_(False), Staff.open_id.is_not(None)))
            self._open_ids, self._loaded = frozenset(rows), time.monotonic()
        return self._open_ids

    def check(self, msg: Inbound, ctx: Context):
        if ctx.duplicate or msg.kind != "text" or msg.open_id not in self._former(ctx):
            return None
        return True if parse(msg.text).verb != "help" else None

    def handle(self, msg: Inbound, ctx: Context, _match) -> Reply:
        ctx.decision = "former_staff"
        return Reply(M.FORMER_STAFF_REPLY)
