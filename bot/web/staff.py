"""Staff administration (admins): add, deactivate, roles, passwords, WeChat binding codes."""
from __future__ import annotations

import re
import secrets
from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, url_for
from sqlalchemy import func, select

from bot import texts as M
from bot.roster import plans as roster_plans
from bot.db.models import Staff
from bot.roster.changes import day_zh
from bot.roster.rotation import RosterError
from bot.web import staff_rota
from bot.web.auth import guard
from bot.web.helpers import db, now, services
from bot.web.passwords import hash_password
from bot.web.users import ROLES

BIND_CODE_MINUTES = 15
PHONE = re.compile(r"1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?")  # mobile, or landline with area code


def new_bind_code(staff: Staff, at) -> str:
    """Give a staff member a fresh one-time 6-digit code to send as `绑定 123456`."""
    staff.bind_code = f"{secrets.randbelow(10**6):06d}"
    staff.bind_code_expires = at + timedelta(minutes=BIND_CODE_MINUTES)
    return staff.bind_code


def _form_flags(staff: Staff) -> str | None:
    """Validate the edit form, then apply it to a staff row; returns an error or None."""
    role = request.form.get("role", staff.role)
    if role not in ROLES:
        return M.WEB_ROLE_INVALID
    if staff.id is not None and staff.id == g.user.id and (role != "admin" or "active" not in request.form):
        return M.WEB_NOT_YOURSELF
    password, new_hash = request.form.get("password", ""), None
    if password:
        try:
            new_hash = hash_password(password)
        except ValueError as exc:
            return str(exc)
    phone = "".join(request.form.get("phone", "").split())
    if phone and not PHONE.fullmatch(phone):
        return M.WEB_PHONE_INVALID
    staff.role = role
    staff.phone = phone
    staff.active = "active" in request.form
    staff.eligible = "eligible" in request.form
    staff.no_holiday_duty = "no_holiday_duty" in request.form
    if new_hash:
        staff.password_hash, staff.failed_logins, staff.locked_until = new_hash, 0, None
    return None


def _self_edit(staff: Staff) -> bool:
    """An admin changing her own active/admin flags is refused by _form_flags before any preview."""
    return staff.id == g.user.id and ("active" not in request.form or request.form.get("role") != "admin")


def _plan(session, edit):
    """The previewed rotation change, computed before the staff row changes (it reads the old list)."""
    if edit is None:
        return None
    return roster_plans.preview(session, services().settings, edit, staff_rota.start_day(request.form), now())


def _record_rota(session, pv) -> str:
    """Record the previewed change and tell the people affected; the flash text says so."""
    if pv is None:
        return ""
    session.flush()
    told = roster_plans.record(session, services().settings, pv, g.user.name, now())
    return M.WEB_ROTA_CHANGED.format(day=day_zh(pv.start), days=len(pv.changes), told=told)


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("staff", __name__, url_prefix="/admin/staff")
    bp.before_request(guard("admin"))

    @bp.get("/")
    def index():
        with db() as s:
            rows = list(s.scalars(select(Staff).order_by(Staff.active.desc(), Staff.rotation_order, Staff.id)))
            return render_template("admin/staff.html", rows=rows, roles=M.ROLE_NAMES, now=now(),
                                   bind_minutes=BIND_CODE_MINUTES)

    @bp.post("/add")
    def add():
        name = request.form.get("name", "").strip()
        if not name or len(name) > 64:
            flash(M.WEB_NAME_NEEDED, "error")
            return redirect(url_for(".index"))
        try:
            with db() as s:
                if s.scalar(select(Staff).where(Staff.name == name)):
                    flash(M.WEB_NAME_TAKEN.format(name=name), "error")
                    return redirect(url_for(".index"))
                edit = staff_rota.rota_edit(s, name, request.form, True)
                if edit and not staff_rota.confirmed(request.form):
                    return staff_rota.preview_page(s, edit, url_for(".add"))
                pv = _plan(s, edit)
                order = (s.scalar(select(func.max(Staff.rotation_order))) or 0) + 1
                staff = Staff(name=name, role="staff", rotation_order=order)
                error = _form_flags(staff)
                if error:
                    flash(error, "error")
                    return redirect(url_for(".index"))
                s.add(staff)
                told = _record_rota(s, pv)
        except RosterError as exc:
            flash(M.WEB_NOT_SAVED.format(why=exc.message_zh), "error")
            return redirect(url_for(".index"))
        flash(M.WEB_STAFF_ADDED.format(name=name) + told, "success")
        return redirect(url_for(".index"))

    @bp.post("/<int:staff_id>")
    def edit(staff_id: int):
        try:
            with db() as s:
                staff = s.get(Staff, staff_id) or abort(404)
                change = staff_rota.rota_edit(s, staff.name, request.form, False)
                leaving = staff.active and "active" not in request.form and staff_rota.open_tickets(s, staff.name)
                if (change or leaving) and not staff_rota.confirmed(request.form) and not _self_edit(staff):
                    return staff_rota.preview_page(s, change, url_for(".edit", staff_id=staff_id), staff.name)
                pv = _plan(s, change)
                error = _form_flags(staff)
                if error:
                    flash(error, "error")
                    return redirect(url_for(".index"))
                told = _record_rota(s, pv)
                moved = staff_rota.hand_over(s, s.get(Staff, g.user.id), request.form)
                told += M.WEB_TICKETS_HANDED_ON.format(count=moved) if moved else ""
        except RosterError as exc:
            flash(M.WEB_NOT_SAVED.format(why=exc.message_zh), "error")
            return redirect(url_for(".index"))
        flash(M.WEB_STAFF_SAVED.format(name=staff.name) + told, "success")
        return redirect(url_for(".index"))

    @bp.post("/<int:staff_id>/bind")
    def bind(staff_id: int):
        with db() as s:
            staff = s.get(Staff, staff_id) or abort(404)
            code = new_bind_code(staff, now())
            flash(M.WEB_BIND_CODE.format(name=staff.name, minutes=BIND_CODE_MINUTES, code=code), "success")
        return redirect(url_for(".index"))

    @bp.post("/<int:staff_id>/unbind")
    def unbind(staff_id: int):
        with db() as s:
            staff = s.get(Staff, staff_id) or abort(404)
            staff.open_id = None
            flash(M.WEB_UNBOUND.format(name=staff.name), "success")
        return redirect(url_for(".index"))

    return bp
