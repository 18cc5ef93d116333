"""The dashboard (admins, leads): figures as offline SVG charts plus a table; ledger export."""
from __future__ import annotations

from datetime import timedelta

import logging

from flask import Blueprint, g, render_template, request

from bot import texts as M
from bot.web.auth import guard
from bot.web.charts import bar_chart, hbar_chart
from bot.web.helpers import db, download, parse_day, services, today
from bot.web import checklist
from bot.web import ledger as ledger_book
from bot.web.stats import summarize

DEFAULT_DAYS = 14
MAX_DAYS = 366
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
log = logging.getLogger("linli.web.dashboard")


def date_range(args):
    """[first, last] from the query (default: the last 14 days), at most a year."""
    last = parse_day(args.get("to"), today())
    first = parse_day(args.get("from"), last - timedelta(days=DEFAULT_DAYS - 1))
    if first > last:
        first, last = last, first
    return max(first, last - timedelta(days=MAX_DAYS - 1)), last


def charts(summary) -> list[tuple[str, str, object]]:
    """(id, visible title, inline SVG) for each dashboard chart."""
    labels = [d.day.strftime("%m-%d") for d in summary.days]
    days, title, series = summary.days, M.CHART_TITLES, M.CHART_SERIES
    return [
        ("messages", title["messages"], bar_chart(labels, [
            (series["messages"], [d.messages for d in days]), (series["answered"], [d.auto_answered for d in days])],
            M.CHART_LABELS["messages"])),
        ("tickets", title["tickets"], bar_chart(labels, [
            (series["opened"], [d.opened for d in days]), (series["escalations"], [d.escalations for d in days])],
            M.CHART_LABELS["tickets"])),
        ("categories", title["categories"], hbar_chart(summary.categories, title["categories"])),
        ("response", title["response"], bar_chart(labels, [
            (series["median"], [d.median_first_response_min or 0 for d in days])], M.CHART_LABELS["response"])),
        ("ratings", title["ratings"], hbar_chart([(M.CHART_STARS.format(n=k), summary.ratings.get(k, 0))
                                                  for k in range(5, 0, -1)], title["ratings"])),
    ]


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("dashboard", __name__, url_prefix="/admin/dashboard")
    bp.before_request(guard("lead"))

    @bp.get("/")
    def index():
        first, last = date_range(request.args)
        with db() as s:
            summary = summarize(s, services().settings, first, last)
            todo = checklist.steps(s)
        return render_template("admin/dashboard.html", s=summary, charts=charts(summary),
                               checklist=todo if not all(step.done for step in todo) else [])

    @bp.get("/ledger.xlsx")
    def ledger():
        first, last = date_range(request.args)
        # open_ids are masked like the console shows them; only an admin who asks gets them whole.
        full_ids = request.args.get("full_ids") == "1" and g.user.role == "admin"
        if full_ids:
            log.warning("ledger %s..%s exported with full open_ids by %s", first, last, g.user.name)
        title = services().settings.desk.name
        with db() as s:
            data = ledger_book.ledger_bytes(s, first, last, title, full_ids=full_ids)
        return download(data, ledger_book.file_name(title, first, last), XLSX_MIME)

    return bp
