"""Console error pages in Chinese (403/404/500); the webhook and other paths keep their plain answers."""
from __future__ import annotations

import logging

from flask import Response, render_template, request

log = logging.getLogger("linli")

PAGES = {
    403: ("没有权限", "您的账号没有权限打开这个页面。如需使用，请联系社区管理员。"),
    404: ("页面不存在", "没有找到这个页面，可能链接已过期，或者您要找的工单、问答已被删除。"),
    500: ("系统出了点问题", "页面暂时无法显示，已记录错误。请稍后刷新重试；如果一直这样，请联系技术支持。"),
}


def _console(code: int, exc):
    if not request.path.startswith("/admin"):
        return None
    title, text = PAGES[code]
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
