"""Incidents in the pipeline: staff 通报 commands and incident ratings (IncidentDesk, before the
staff commands), and the open incident that answers residents first (IncidentNotice, after urgent)."""
from __future__ import annotations

from sqlalchemy import update

from bot.conversation import clear, pending_incident_rating
from bot.db.models import IncidentReport
from bot.domain import Inbound, Reply
from bot.incidents import commands, notices
from bot.incidents import texts as T
from bot.pipeline import Context
from bot.tickets import views
from knowledge_base.phrases import asks_for_my_tickets, parse_rating


class IncidentDesk:
    name = "incidents_desk"

    def check(self, msg: Inbound, ctx: Context):
        """A staff member's incident command, or a resident's rating of a recovered incident."""
        if msg.kind != "text" or ctx.duplicate:
            return None
        staff = ctx.staff
        if staff is not None:
            cmd = commands.parse(msg.text)
            return ("staff", staff, cmd) if cmd is not None else None
        if asks_for_my_tickets(msg.text):
            lines = notices.my_incidents(ctx.session, ctx.settings, msg.open_id, ctx.now())
            return ("mine", lines, None) if lines else None
        state = pending_incident_rating(ctx, msg.open_id)
        stars = parse_rating(msg.text) if state is not None else None
        return ("rate", state, stars) if stars is not None else None

    def handle(self, msg: Inbound, ctx: Context, match) -> Reply:
        verb, who, arg = match
        if verb == "staff":
            ctx.decision = f"staff:incident_{arg.verb}"
            return Reply(commands.run(ctx.session, ctx.services, who, arg, ctx.now()))
        if verb == "mine":  # 我的工单 for someone who follows an incident: it comes first
            ctx.decision = "self:mine"
            return Reply(who + "\n\n" + views.my_tickets(ctx.session, msg.open_id))
        ctx.decision = "self:incident_rate"
        return Reply(_rate(ctx, who, arg))


class IncidentNotice:
    name = "incidents"

    def check(self, msg: Inbound, ctx: Context):
        """A resident's message about a live incident, or an outage report that may start one."""
        if not msg.has_text or ctx.asked_for_person or ctx.staff:
            return None
        return notices.find(ctx.session, ctx.settings, msg.open_id, msg.text, ctx.now())

    def handle(self, msg: Inbound, ctx: Context, found) -> Reply | None:
        text = notices.answer(ctx.session, ctx.services, msg, found, ctx.now())
        if text is None:
            return None
        ctx.decision = "incident"
        ctx.scores = {"incident_score": round(found.score, 3)}
        return Reply(text)


def _rate(ctx: Context, state, stars: int) -> str:
    incident_id = state.data["incident_id"]
    ctx.session.execute(update(IncidentReport).where(IncidentReport.incident_id == incident_id,
                                                     IncidentReport.open_id == state.open_id)
                        .values(rating=stars))
    clear(ctx, state)
    return (T.RATING_SORRY if stars <= 2 else T.RATING_THANKS).format(stars=stars)
