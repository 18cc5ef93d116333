"""Login, logout and roles for the console (sessions live on the server: bot.web.sessions)."""
from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import (Blueprint, abort, flash, g, redirect, render_template, request, session,
                   url_for)
from bot import texts as M
from bot.web import sessions
from bot.web.helpers import db, now, services
from bot.web.login import check_login


@dataclass(frozen=True)
class User:
    id: int
    name: str
    role: str


def current_user() -> User | None:
    """The logged-in, still-active staff member (None if the session ended, expired or was revoked)."""
    if not session.get(sessions.TOKEN_KEY):
        return None
    with db() as s:
        staff = sessions.current(s, services().settings, now())
        return User(staff.id, staff.name, staff.role) if staff is not None else None


def guard(*roles: str):
    """before_request hook: log in first; admins pass every role check."""
    def check():
        user = current_user()
        if user is None:
            session.pop(sessions.TOKEN_KEY, None)
            return redirect(url_for("auth.login", next=request.full_path.rstrip("?")))
        if roles and user.role != "admin" and user.role not in roles:
            abort(403)
        g.user = user
        return None
    return check


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
            staff = check_login(request.form.get("name", "").strip()[:200], request.form.get("password", "")[:1024],
                                request.remote_addr or "")
            if staff is not None:
                with db() as s:
                    sessions.start(s, staff, now(), request.remote_addr or "")
                return redirect(_safe_next(request.args.get("next")))
            flash(M.LOGIN_FAILED, "error")
            return render_template("admin/login.html"), 401
        return render_template("admin/login.html")

    @bp.post("/logout")
    def logout():
        with db() as s:
            sessions.end(s)
        flash(M.WEB_LOGGED_OUT, "info")
        return redirect(url_for("auth.login"))

    @bp.get("/")
    def home():
        denied = guard()()
        if denied is not None:
            return denied
        return redirect(url_for("tickets.queue") if g.user.role == "staff" else url_for("dashboard.index"))

    return bp
