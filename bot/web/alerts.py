"""Staff notices in the console: a red banner for notices nobody could deliver (until someone
acknowledges it), and every recent notice with its delivery state."""
from __future__ import annotations

import logging

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import select

from bot import texts as M
from bot.db.models import Outbox
from bot.outbox.undelivered import acknowledge, delivery_state, open_alerts
from bot.web.auth import guard
from bot.web.helpers import db, now, open_or_new

log = logging.getLogger("linli.web.alerts")
NOTICES_SHOWN = 200


def banner() -> list:
    """Open alerts for the banner on every console page (never breaks a page)."""
    try:
        with open_or_new() as s:
            return [(a.id, a.staff_name, a.ticket_id, a.created_at, a.text.splitlines()[0][:60]) for a in open_alerts(s)]
    except Exception:
        log.exception("staff alert banner unavailable")
        return []


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("alerts", __name__, url_prefix="/admin")
    bp.before_request(guard())

    @bp.app_context_processor
    def _banner():
        return {"staff_alerts": banner}

    @bp.route("/notices")
    def notices():
        with db() as s:
            rows = list(s.scalars(select(Outbox).where(Outbox.channel == "staff")
                                  .order_by(Outbox.id.desc()).limit(NOTICES_SHOWN)))
            shown = [(r, (r.payload or {}).get("staff") or r.recipient, delivery_state(r)) for r in rows]
            return render_template("admin/notices.html", rows=shown)

    @bp.route("/alerts/<int:alert_id>/ack", methods=["POST"])
    def ack(alert_id: int):
        with db() as s:
            if not acknowledge(s, alert_id, g.user.name, now()):
                abort(404)
        flash(M.WEB_ALERT_ACKNOWLEDGED, "ok")
        return redirect(request.referrer if (request.referrer or "").startswith(request.host_url) else url_for("alerts.notices"))

    return bp
