"""Console error pages in Chinese (403/404/500); the webhook and other paths keep their plain answers."""
from __future__ import annotations

import logging

from flask import Response, render_template, request

from bot import texts as M

log = logging.getLogger("linli")


def _console(code: int, exc):
    if not request.path.startswith("/admin"):
        return None
    title, text = M.ERROR_PAGES[code]
    return render_template("admin/error.html", code=code, title=title, text=text), code


def install(app) -> None:
    """Register the Chinese pages (after the app's own 500 handler, which they keep for other paths)."""

    @app.errorhandler(403)
    def forbidden(exc):
        return _console(403, exc) or exc

    @app.errorhandler(404)
    def not_found(exc):
        return _console(404, exc) or exc

    @app.errorhandler(500)
    def internal(exc):
        log.error("unhandled error: %s", exc)
        try:
            page = _console(500, exc)
        except Exception:  # the error page itself must not fail
            page = None
        return page or Response("internal error", status=500, mimetype="text/plain")
