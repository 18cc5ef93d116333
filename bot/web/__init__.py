"""The web console (/admin/) and the simulator (/simulator): register(app, services)."""
from __future__ import annotations

import importlib
import logging

from flask import Blueprint, Flask, request
from flask_wtf.csrf import CSRFProtect
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from bot.db import transaction
from bot.db.models import Staff
from bot.texts import ROLE_NAMES
from bot.web import duty_line, errors, simulator
from bot.web.helpers import install_template_helpers
from bot.web.passwords import verify_password
from bot.web.users import ensure_user

log = logging.getLogger("linli.web")

CONSOLE_MODULES = ("auth", "staff", "faq", "learning", "tickets", "incidents", "roster", "dashboard", "alerts")
CSP = ("default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
       "frame-ancestors 'none'; form-action 'self'; base-uri 'none'")
UPLOAD_PATHS = ("/admin/faq/import",)
UPLOAD_LIMIT = 5 * 1024 * 1024
DEMO_ADMIN = ("admin", "linli-demo")
DEMO_STAFF = ("王芳", "linli-demo")


def register(app: Flask, services) -> None:
    """Attach CSRF protection, the console blueprints, template helpers and the demo logins."""
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # valid for the session's lifetime
    app.before_request(_allow_uploads)  # must run before CSRFProtect parses the form
    csrf = CSRFProtect(app)
    if "wechat" in app.blueprints:  # WeChat signs its POSTs; it has no session or token
        csrf.exempt(app.blueprints["wechat"])
    install_template_helpers(app, services)
    duty_line.install(app)
    errors.install(app)  # Chinese 403/404/500 pages for the console
    _behind_proxies(app, services.settings.web.proxy_hops)
    app.after_request(_security_headers)
    app.register_blueprint(Blueprint("static_web", __name__, static_folder="static",
                                     static_url_path="/static/web", template_folder="templates"))
    for name in CONSOLE_MODULES:
        module = importlib.import_module(f"bot.web.{name}")
        app.register_blueprint(module.make_blueprint(services))
    if services.settings.web.simulator:
        app.register_blueprint(simulator.make_blueprint(services))
        ensure_demo_logins(services)


def _security_headers(response):
    """Console and simulator pages load nothing from elsewhere and cannot be framed."""
    if request.path.startswith(("/admin", "/simulator")):
        response.headers.setdefault("Content-Security-Policy", CSP)
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Pages carry residents' messages and names: no browser or proxy may keep a copy.
        response.headers["Cache-Control"] = "no-store"
    return response


def _behind_proxies(app: Flask, hops: int) -> None:
    """Trust X-Forwarded-For/-Proto from exactly `hops` proxies (login throttling by address)."""
    if hops:
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops)


def _allow_uploads() -> None:
    """Console file uploads may exceed the webhook's small body limit."""
    if request.path.startswith(UPLOAD_PATHS):
        request.max_content_length = UPLOAD_LIMIT


def ensure_demo_logins(services) -> list[tuple[str, str]]:
    """Demo mode only: make sure a newcomer can log in (never overwrites a set password)."""
    made = []
    for name, password, role in ((*DEMO_ADMIN, "admin"), (*DEMO_STAFF, None)):
        try:
            with transaction(services.session_factory) as session:
                if ensure_user(session, name, password, role, only_if_unset=True):
                    made.append((name, password))
        except IntegrityError:  # another worker created it first
            log.info("demo login %s created concurrently", name)
    return made


def demo_logins(services) -> list[str]:
    """Demo mode: the demo logins that still have their demo password, for the start banner."""
    if not services.settings.web.simulator:
        return []
    lines = []
    with transaction(services.session_factory) as session:
        for name, password in (DEMO_ADMIN, DEMO_STAFF):
            staff = session.scalar(select(Staff).where(Staff.name == name, Staff.active.is_(True)))
            if staff is not None and verify_password(staff.password_hash, password):
                lines.append(f"{name} / {password}  ({' '.join(filter(None, (ROLE_NAMES.get(staff.role), staff.role)))})")
    return lines
