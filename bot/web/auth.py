"""Login, logout, roles and lock-out for the console."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import wraps
from urllib.parse import urlsplit

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from sqlalchemy import select

from bot.db.models import Staff
from bot.web.helpers import db, now, services
from bot.web.passwords import burn_time, fingerprint, verify_password


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str


def current_user() -> User | None:
    """The logged-in, still-active staff member (None if the session is stale)."""
    staff_id = session.get("staff_id")
    if not staff_id:
        return None
    with db() as s:
        staff = s.get(Staff, staff_id)
        if staff is None or not staff.active or session.get("pw") != fingerprint(staff.password_hash):
            return None
        return User(staff.id, staff.name, staff.role)


def guard(*roles: str):
    """before_request hook: log in first; admins pass every role check."""
    def check():
        user = current_user()
        if user is None:
            session.pop("staff_id", None)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if roles and user.role != "admin" and user.role not in roles:
            abort(403)
        g.user = user
        return None
    return check


def require(*roles: str):
    """View decorator for a stricter role than the blueprint's."""
    def deco(fn):
        @wraps(fn)
        def wrapper(*args, **kwargs):
            user = g.get("user")
            if user is None or (user.role != "admin" and user.role not in roles):
                abort(403)
            return fn(*args, **kwargs)
        return wrapper
    return deco


def attempt_login(name: str, password: str) -> tuple[Staff | None, str]:
    """Check credentials with lock-out; returns (staff, '') or (None, reason in Chinese)."""
    web = services().settings.web
    with db() as s:
        staff = s.scalar(select(Staff).where(Staff.name == name))
        if staff is None or not staff.active or not staff.password_hash:
            burn_time(password)
            return None, "用户名或密码不正确。"
        if staff.locked_until and staff.locked_until > now():
            return None, f"登录失败次数过多，账号已锁定，请{web.lockout_minutes}分钟后再试。"
        if not verify_password(staff.password_hash, password):
            staff.failed_logins += 1
            if staff.failed_logins >= web.lockout_after:
                staff.failed_logins = 0
                staff.locked_until = now() + timedelta(minutes=web.lockout_minutes)
                return None, f"登录失败次数过多，账号已锁定，请{web.lockout_minutes}分钟后再试。"
            return None, "用户名或密码不正确。"
        staff.failed_logins, staff.locked_until = 0, None
        return staff, ""


def _safe_next(target: str | None) -> str:
    """Only same-site console paths: no open redirects."""
    if target and target.startswith("/admin") and not urlsplit(target).netloc and "//" not in target:
        return target
    return url_for("auth.home")


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("auth", __name__, url_prefix="/admin")

    @bp.route("/login", methods=["GET", "POST"])
    def login():
        if request.method == "POST":
            staff, error = attempt_login(request.form.get("name", "").strip(), request.form.get("password", ""))
            if staff is not None:
                session.clear()
                session.permanent = False
                session.update(staff_id=staff.id, pw=fingerprint(staff.password_hash))
                return redirect(_safe_next(request.args.get("next")))
            flash(error, "error")
            return render_template("admin/login.html"), 401
        return render_template("admin/login.html")

    @bp.post("/logout")
    def logout():
        session.clear()
        flash("您已退出登录。", "info")
        return redirect(url_for("auth.login"))

    @bp.get("/")
    def home():
        denied = guard()()
        if denied is not None:
            return denied
        return redirect(url_for("tickets.queue") if g.user.role == "staff" else url_for("dashboard.index"))

    return bp
