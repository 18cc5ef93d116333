"""The duty roster (admins, leads): month calendar, swaps, leave and fairness figures."""
from __future__ import annotations

from datetime import date, timedelta

from flask import Blueprint, flash, g, redirect, render_template, request, url_for

from sqlalchemy import select

from bot import texts as M
from bot.roster import store as duty_roster
from bot.roster import plans as roster_plans
from bot.db.models import HolidayDay
from bot.roster import changes as roster_changes
from bot.roster.changes import day_zh, describe
from bot.roster.rotation import RosterError
from bot.web.auth import guard
from bot.web.helpers import db, now, parse_day, services, today



def month_grid(month: date) -> tuple[date, int]:
    """First Monday shown and the number of days (whole weeks) covering the month."""
    first = month.replace(day=1)
    start = first - timedelta(days=first.weekday())
    next_month = (first + timedelta(days=32)).replace(day=1)
    weeks = -(-((next_month - start).days) // 7)
    return start, weeks * 7


def _shift_month(month: date, delta: int) -> date:
    y, m = divmod(month.month - 1 + delta, 12)
    return date(month.year + y, m + 1, 1)


def missing_holiday_years(settings, day: date) -> list[int]:
    """This year and next, when chinese-calendar has no official holiday data for them."""
    calendar = duty_roster.calendar_for(settings)
    return [y for y in (day.year, day.year + 1) if not calendar.known(y)]


def _record(change_fn, done: str) -> None:
    """Run a roster change in a transaction; RosterError becomes a Chinese message."""
    try:
        with db() as s:
            change = change_fn(s)
    except RosterError as exc:
        flash(M.WEB_ROSTER_FAILED.format(done=done, why=exc.message_zh), "error")
        return
    flash(M.WEB_ROSTER_RECORDED.format(done=done) + M.LIST_SEPARATOR.join(change.notes), "success")


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("roster", __name__, url_prefix="/admin/roster")
    bp.before_request(guard("lead"))

    @bp.get("/")
    def calendar():
        month = parse_day(request.args.get("month", "") + "-01" if request.args.get("month") else None,
                          today()).replace(day=1)
        start, days = month_grid(month)
        settings = services().settings
        duty_today = duty_roster.duty_day(now(), settings)  # before the shift change it is still yesterday's
        with db() as s:
            try:
                roster = duty_roster.effective_roster(s, settings, start, days)
                fair = roster_changes.fairness(s, settings, month, (_shift_month(month, 1) - month).days)
            except RosterError as exc:
                flash(M.WEB_ROSTER_UNPLANNABLE.format(why=exc.message_zh), "error")
                roster, fair = [], None
            names = [p.name for p in duty_roster.roster_staff(s) if p.eligible]
            upcoming = [(o.id, describe(o)) for o in duty_roster.overrides_between(s, duty_today, date.max)]
            holidays = list(s.scalars(select(HolidayDay).where(HolidayDay.day >= duty_today).order_by(HolidayDay.day)))
        return render_template("admin/roster.html", roster=roster, month=month, today=duty_today, fair=fair,
                               names=names, week_head=M.WEEK_HEAD, kinds=duty_roster.KIND_ZH, upcoming=upcoming,
                               missing_years=missing_holiday_years(settings, duty_today), holidays=holidays,
                               first_editable=roster_plans.earliest_start(settings, now()),
                               prev=_shift_month(month, -1), next=_shift_month(month, 1))

    @bp.post("/holiday")
    def holiday():
        day = parse_day(request.form.get("day"), today())
        kind = request.form.get("kind", "")
        name = " ".join(request.form.get("name", "").split())[:16]
        if kind not in ("holiday", "makeup_workday", "clear"):
            flash(M.WEB_ROSTER_PICK_DAY_KIND, "error")
            return redirect(url_for(".calendar"))
        try:
            with db() as s:
                pv = roster_plans.set_holiday(s, services().settings, day, None if kind == "clear" else kind,
                                              name, g.user.name, now())
        except RosterError as exc:
            flash(M.WEB_NOT_SAVED.format(why=exc.message_zh), "error")
        else:
            flash(M.WEB_ROSTER_DAY_SAVED.format(reason=pv.edit.reason, day=day_zh(pv.start), days=len(pv.changes),
                                                told=len(pv.affected)), "success")
        return redirect(url_for(".calendar", month=day.strftime("%Y-%m")))

    @bp.post("/cancel/<int:override_id>")
    def cancel(override_id: int):
        _record(lambda s: roster_changes.cancel(s, override_id, g.user.name, now(), settings=services().settings),
                M.WEB_ROSTER_ACTIONS["cancel"])
        return redirect(url_for(".calendar"))

    @bp.post("/swap")
    def swap():
        day = parse_day(request.form.get("day"), today())
        a, b = request.form.get("a", ""), request.form.get("b", "")
        _record(lambda s: roster_changes.swap(s, day, a, b, g.user.name, now(), settings=services().settings),
                M.WEB_ROSTER_ACTIONS["swap"])
        return redirect(url_for(".calendar", month=day.strftime("%Y-%m")))

    @bp.post("/leave")
    def leave():
        start = parse_day(request.form.get("start"), today())
        end = parse_day(request.form.get("end"), start)
        name = request.form.get("name", "")
        _record(lambda s: roster_changes.leave(s, name, start, end, g.user.name, now(), settings=services().settings),
                M.WEB_ROSTER_ACTIONS["leave"])
        return redirect(url_for(".calendar", month=start.strftime("%Y-%m")))

    return bp
