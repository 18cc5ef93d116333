"""Incidents in the pipeline: staff 通报 commands and incident ratings (IncidentDesk, before the
staff commands), and the open incident that answers residents first (IncidentNotice, after urgent)."""
from __future__ import annotations

import re
import unicodedata

from bot.domain import Inbound, Reply
from bot.incidents import commands, notices
from bot.incidents import texts as T
from bot.pipeline import Context
from handlers.staff_commands import staff_member

_HANDOFF = ("asked_for_person",)
_MINE = re.compile(r"^(我的工单|查询工单|工单查询|我的问题|查进度|查询进度)$")  # as handlers/selfservice.py


class IncidentDesk:
    name = "incidents_desk"

    def check(self, msg: Inbound, ctx: Context):
        """A staff member's incident command, or a resident's rating of a recovered incident."""
        if msg.kind != "text" or ctx.duplicate:
            return None
        staff = staff_member(msg, ctx)
        if staff is not None:
            cmd = commands.parse(msg.text)
            return ("staff", staff, cmd) if cmd is not None else None
        if _MINE.match(unicodedata.normalize("NFKC", msg.text).strip().rstrip("?？。.!！")):
            lines = notices.my_incidents(ctx.session, ctx.settings, msg.open_id, ctx.now())
            return ("mine", lines, None) if lines else None
        state = _pending_incident_rating(ctx, msg.open_id)
        stars = _stars(msg.text) if state is not None else None
        return ("rate", state, stars) if stars is not None else None

    def handle(self, msg: Inbound, ctx: Context, match) -> Reply:
        verb, who, arg = match
        if verb == "staff":
            ctx.notes["decision"] = f"staff:incident_{arg.verb}"
            return Reply(commands.run(ctx.session, ctx.services, who, arg, ctx.now()))
        if verb == "mine":  # 我的工单 for someone who follows an incident: it comes first
            from bot.tickets import views

            ctx.notes["decision"] = "self:mine"
            return Reply(who + "\n\n" + views.my_tickets(ctx.session, msg.open_id))
        ctx.notes["decision"] = "self:incident_rate"
        return Reply(_rate(ctx, who, arg))


class IncidentNotice:
    name = "incidents"

    def check(self, msg: Inbound, ctx: Context):
        """A resident's message about a live incident, or an outage report that may start one."""
        if not msg.has_text or ctx.notes.get("handoff_reason") in _HANDOFF or staff_member(msg, ctx):
            return None
        return notices.find(ctx.session, ctx.settings, msg.open_id, msg.text, ctx.now())

    def handle(self, msg: Inbound, ctx: Context, found) -> Reply | None:
        text = notices.answer(ctx.session, ctx.services, msg, found, ctx.now())
        if text is None:
            return None
        ctx.notes["decision"] = "incident"
        ctx.notes["scores"] = {"incident_score": round(found.score, 3)}
        return Reply(text)


def _pending_incident_rating(ctx: Context, open_id: str):
    from handlers.conversation import pending

    state = pending(ctx, open_id, "rating")
    if state is None or state.expires_at <= ctx.now() or "incident_id" not in (state.data or {}):
        return None
    return state


def _stars(text: str) -> int | None:
    from handlers.selfservice import parse_rating

    return parse_rating(unicodedata.normalize("NFKC", text))


def _rate(ctx: Context, state, stars: int) -> str:
    from sqlalchemy import update

    from bot.db.models import IncidentReport
    from handlers.conversation import clear

    incident_id = state.data["incident_id"]
    ctx.session.execute(update(IncidentReport).where(IncidentReport.incident_id == incident_id,
                                                     IncidentReport.open_id == state.open_id)
                        .values(rating=stars))
    clear(ctx, state)
    return (T.RATING_SORRY if stars <= 2 else T.RATING_THANKS).format(stars=stars)
