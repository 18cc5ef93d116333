"""The webhook: GET /wechat (URL check) and POST /wechat (messages), all modes."""
from __future__ import annotations

import logging
from typing import Callable

from flask import Blueprint, Response, abort, request

from bot.domain import Inbound, Reply
from bot.wechat.codec import parse_inbound, render_reply
from bot.wechat.crypto import MessageCrypto
from bot.wechat.security import BadRequest, Forbidden, check_timestamp, screen_xml, verify_signature

log = logging.getLogger("linli.wechat")


def make_blueprint(settings, clock, process: Callable[[Inbound], Reply]) -> Blueprint:
    """Build the /wechat blueprint around a `process(inbound) -> Reply` callable."""
    bp = Blueprint("wechat", __name__)
    wx = settings.wechat
    crypto = MessageCrypto(wx.token, wx.aes_key, wx.appid)

    def authenticate() -> tuple[str, str]:
        args = request.args
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        check_timestamp(timestamp, clock.now().timestamp(), wx.timestamp_window_s)
        verify_signature((wx.token, timestamp, nonce), args.get("signature"))
        return timestamp, nonce

    @bp.get("/wechat")
    def verify_url():
        timestamp, nonce = authenticate()
        return Response(request.args.get("echostr", ""), mimetype="text/plain")

    @bp.post("/wechat")
    def receive():
        if (request.content_length or 0) > wx.max_body_bytes:
            abort(413)
        timestamp, nonce = authenticate()
        body = request.get_data(cache=False)
        screen_xml(body)
        encrypted = request.args.get("encrypt_type", "raw").lower() == "aes"
        xml = crypto.decrypt(body, request.args.get("msg_signature"), timestamp, nonce) if encrypted \
            else body.decode("utf-8", errors="strict")
        inbound = parse_inbound(xml)
        reply = process(inbound)
        if not reply.text:
            return Response("success", mimetype="text/plain")
        out = render_reply(inbound, reply, clock.now().timestamp())
        if encrypted:
            out = crypto.encrypt(out, nonce, timestamp)
        return Response(out, mimetype="application/xml")

    @bp.errorhandler(Forbidden)
    def forbidden(exc):
        log.warning("refused %s %s: %s", request.method, request.path, exc)
        return Response("forbidden", status=403, mimetype="text/plain")

    @bp.errorhandler(BadRequest)
    @bp.errorhandler(UnicodeDecodeError)
    def bad_request(exc):
        log.warning("bad request %s %s: %s", request.method, request.path, exc)
        return Response("bad request", status=400, mimetype="text/plain")

    return bp
