"""Incidents in the console (all staff): open incidents with their reports and audience, a new
incident with a map-free place picker, the timeline and updates, and the 台账 as xlsx."""
from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import texts as M
from bot.db.models import IncidentUpdate, Staff
from bot.incidents import actions as A
from bot.incidents import ledger, store
from bot.incidents import texts as T
from bot.incidents.matching import TOPICS
from bot.incidents.places import Place
from bot.incidents.planned import create_planned
from bot.incidents.service import IncidentFinished
from bot.web.auth import guard
from bot.web.helpers import db, now, services, tz

TEXT_MAX = 600


def place_choices(settings) -> list[tuple[str, str]]:
    """(value, label) for the place picker: the whole community, each building, each unit (config)."""
    out = [("", M.WHOLE_ESTATE)]
    for building, units in sorted(settings.incidents.buildings.items(), key=lambda kv: (len(kv[0]), kv[0])):
        out.append((building, Place(building).label()))
        out += [(f"{building}/{u}", Place(building, u).label()) for u in units]
    return out


def _place(value: str) -> Place:
    building, _, unit = (value or "").partition("/")
    return Place(building.strip(), unit.strip())


def _local_input(value: str | None) -> datetime | None:
    """A datetime-local form value in the desk's timezone, as aware UTC."""
    if not value:
        return None
    try:
        return datetime.fromisoformat(value).replace(tzinfo=tz()).astimezone(now().tzinfo)
    except ValueError:
        return None


def _me(session) -> Staff:
    return session.get(Staff, g.user.id)


def _act(incident_id: int, action) -> None:
    """One staff action in a transaction; a finished incident becomes a message."""
    with db() as s:
        incident = store.get(s, incident_id, for_update=True) or abort(404)
        try:
            flash(action(s, incident, _me(s)), "success")
        except IncidentFinished as exc:
            flash(M.WEB_INCIDENT_FINISHED.format(id=incident_id, status=T.STATUS_NAMES.get(str(exc), exc)), "error")


def _text() -> str | None:
    text = request.form.get("text", "").strip()
    if not text or len(text) > TEXT_MAX:
        flash(M.WEB_INCIDENT_TEXT_LENGTH.format(max=TEXT_MAX), "error")
        return None
    return text


def _sent(outcome) -> str:
    b = outcome.broadcast
    extra = M.WEB_INCIDENT_UNREACHABLE.format(count=len(b.unreachable)) if b.unreachable else ""
    return M.WEB_INCIDENT_SENT.format(count=b.queued, extra=extra)


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("incidents", __name__, url_prefix="/admin/incidents")
    bp.before_request(guard())

    @bp.get("/")
    def index():
        with db() as s:  # the page renders after the transaction (base.html may open its own)
            at = now()
            live = {i.id for i in store.answering(s, services().settings, at)}
            rows = ledger.rows(s)
        return render_template("admin/incidents.html", live=[r for r in rows if r.incident.id in live],
                                   past=[r for r in rows if r.incident.id not in live][:100], at=at,
                                   topics=TOPICS, status_name=store.status_name, place_of=store.place_of)

    @bp.get("/new")
    def new():
        return render_template("admin/incident_new.html", places=place_choices(services().settings), topics=TOPICS,
                               text_max=TEXT_MAX)

    @bp.post("/new")
    def create():
        text, form = _text(), request.form
        if text is None:
            return redirect(url_for(".new"))
        place, category = _place(form.get("place", "")), form.get("category") or None
        title = form.get("title", "").strip()[:60] or None
        with db() as s:
            me = _me(s)
            if form.get("kind") == "planned":
                start, end = _local_input(form.get("starts_at")), _local_input(form.get("ends_at"))
                if start is None or end is None or end <= start:
                    flash(M.WEB_INCIDENT_PLANNED_TIMES, "error")
                    return redirect(url_for(".new"))
                incident = create_planned(s, services().settings, me.name, text, now(), starts_at=start, ends_at=end,
                                          place=place, category=category, title=title)
                flash(M.WEB_INCIDENT_PLANNED, "success")
            else:
                outcome = A.announce(s, services(), me.name, text, now(), place=place, category=category, title=title)
                incident = outcome.incident
                expected = _local_input(form.get("expected_at"))
                incident.expected_at = expected or incident.expected_at
                flash(_sent(outcome), "success")
            return redirect(url_for(".show", incident_id=incident.id))

    @bp.get("/<int:incident_id>")
    def show(incident_id: int):
        with db() as s:
            incident = store.get(s, incident_id) or abort(404)
            timeline = list(s.scalars(select(IncidentUpdate).where(IncidentUpdate.incident_id == incident_id)
                                      .order_by(IncidentUpdate.id)))
            reports = store.linked_reports(s, incident_id)
            audience = len(store.audience(s, incident_id))
        return render_template("admin/incident.html", i=incident, timeline=timeline, reports=reports,
                               audience=audience, topics=TOPICS, status=store.status_name(incident, now()),
                               place=store.place_of(incident).label(), text_max=TEXT_MAX)

    @bp.post("/<int:incident_id>/update")
    def update(incident_id: int):
        text = _text()
        if text is not None:
            _act(incident_id, lambda s, i, me: _sent(A.update(s, services(), i, me.name, text, now())))
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.post("/<int:incident_id>/recover")
    def recover(incident_id: int):
        text = _text()
        if text is not None:
            def run(s, i, me):
                if i.status != "open":
                    raise IncidentFinished(i.status)
                return _sent(A.recover(s, services(), i, me.name, text, now()))
            _act(incident_id, run)
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.post("/<int:incident_id>/close")
    def close(incident_id: int):
        def run(s, i, me):
            if i.status in A.FINISHED or i.status == "proposed":
                raise IncidentFinished(i.status)
            return _sent(A.close(s, services(), i, me.name, request.form.get("text", "").strip() or M.WEB_INCIDENT_CLOSE_TEXT,
                                  now()))
        _act(incident_id, run)
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.post("/<int:incident_id>/confirm")
    def confirm(incident_id: int):
        text = request.form.get("text", "").strip()[:TEXT_MAX] or None
        _act(incident_id, lambda s, i, me: _sent(A.confirm(s, services(), i, me.name, text, now())))
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.post("/<int:incident_id>/dismiss")
    def dismiss(incident_id: int):
        _act(incident_id, lambda s, i, me: M.WEB_INCIDENT_DISMISSED.format(
            count=len(A.dismiss(s, services(), i, me.name, now()))))
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.post("/<int:incident_id>/unlink")
    def unlink(incident_id: int):
        ticket_id = request.form.get("ticket_id", type=int) or 0
        _act(incident_id, lambda s, i, me: M.WEB_INCIDENT_UNLINKED.format(id=ticket_id)
             if A.unlink(s, services(), i, ticket_id, me.name, now()) else M.WEB_INCIDENT_NOT_LINKED.format(id=ticket_id))
        return redirect(url_for(".show", incident_id=incident_id))

    @bp.get("/export.xlsx")
    def export():
        with db() as s:
            data = ledger.xlsx(s, services().settings)
        name = "incidents.xlsx"
        return Response(data, mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        headers={"Content-Disposition": f"attachment; filename={name}"})

    return bp
