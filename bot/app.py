"""create_app(): the Flask application — webhook, console and simulator around one Services container."""
from __future__ import annotations

import logging

from flask import Flask, Response

from bot.config import Settings, load_settings
from bot.services import Services, build_services
from bot.spool import Spool, spool_dir, start_replayer
from bot.web import register as register_web
from bot.wechat.views import make_blueprint

log = logging.getLogger("linli")


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Application factory: webhook, console and simulator around one Services container."""
    settings = settings or (services.settings if services else load_settings())
    services = services or build_services(settings)
    app = Flask("bot")
    app.config.update(
        SECRET_KEY=settings.web.secret_key,
        MAX_CONTENT_LENGTH=settings.wechat.max_body_bytes,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.web.secure_cookies,
    )
    app.extensions["linli"] = services
    _resume_spool(services)
    _register_blueprints(app, services)
    _register_errors(app)
    return app


def _register_blueprints(app: Flask, services: Services) -> None:
    app.register_blueprint(make_blueprint(services.settings, services.clock, services.pipeline.process, services))
    register_web(app, services)

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}


def _resume_spool(services: Services) -> None:
    """Replay messages spooled by an earlier process while the database was away (if any)."""
    if Spool(spool_dir(services.settings)).pending():
        start_replayer(services)


def _register_errors(app: Flask) -> None:
    @app.errorhandler(413)
    def too_large(_exc):
        return Response("request body too large", status=413, mimetype="text/plain")

    @app.errorhandler(500)
    def internal(exc):
        log.error("unhandled error: %s", exc)
        return Response("internal error", status=500, mimetype="text/plain")
