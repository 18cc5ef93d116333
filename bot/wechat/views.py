"""The webhook: GET /wechat (URL check) and POST /wechat (messages) in the configured mode."""
from __future__ import annotations

import logging

from flask import Blueprint, Response, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.spool import NotStored
from bot.wechat.codec import parse_inbound, render_reply
from bot.wechat.crypto import MessageCrypto
from bot.wechat.intake import Intake, Signed
from bot.wechat.nonces import MAX_NONCE_CHARS
from bot.wechat.security import BadRequest, Forbidden, check_timestamp, screen_xml, verify_signature

log = logging.getLogger("linli.wechat")


def make_blueprint(settings, clock, process, services) -> Blueprint:
    """Build the /wechat blueprint around a `process(inbound) -> Reply` callable."""
    bp = Blueprint("wechat", __name__)
    wx = settings.wechat
    crypto = MessageCrypto(wx.token, wx.aes_key, wx.appid)
    intake = Intake(services, process, wx.store_deadline_s)

    def authenticate() -> Signed:
        args = request.args
        timestamp, nonce = args.get("timestamp", ""), args.get("nonce", "")
        check_timestamp(timestamp, clock.now().timestamp(), wx.timestamp_window_s)
        if not nonce or len(nonce) > MAX_NONCE_CHARS:
            raise Forbidden("missing or over-long nonce")
        verify_signature((wx.token, timestamp, nonce), args.get("signature"))
        return Signed(timestamp, nonce)

    def decode(body: bytes, signed: Signed) -> tuple[str, bool]:
        """The message XML and whether it came encrypted; in safe/compat mode only the encrypted copy."""
        encrypted = request.args.get("encrypt_type", "raw").lower() == "aes"
        if wx.mode != "plain" and not (encrypted and request.args.get("msg_signature")):
            raise Forbidden(f"{wx.mode} mode: unencrypted or unsigned body refused")
        if encrypted:
            return crypto.decrypt(body, request.args.get("msg_signature"), signed.timestamp, signed.nonce), True
        return body.decode("utf-8", errors="strict"), False

    @bp.get("/wechat")
    def verify_url():
        authenticate()
        return Response(request.args.get("echostr", ""), mimetype="text/plain")

    @bp.post("/wechat")
    def receive():
        if (request.content_length or 0) > wx.max_body_bytes:
            raise RequestEntityTooLarge()
        signed = authenticate()
        body = request.get_data(cache=False)
        screen_xml(body)
        xml, encrypted = decode(body, signed)
        inbound = parse_inbound(xml)
        reply = intake(inbound, signed)
        if not reply.text:
            return Response("success", mimetype="text/plain")
        out = render_reply(inbound, reply, clock.now().timestamp())
        if encrypted:
            out = crypto.encrypt(out, signed.nonce, signed.timestamp)
        return Response(out, mimetype="application/xml")

    _register_errors(bp, wx.max_body_bytes)
    return bp


def _register_errors(bp: Blueprint, limit: int) -> None:
    @bp.errorhandler(Forbidden)
    def forbidden(exc):
        log.warning("refused %s %s: %s", request.method, request.path, exc)
        return Response("forbidden", status=403, mimetype="text/plain")

    @bp.errorhandler(BadRequest)
    @bp.errorhandler(UnicodeDecodeError)
    def bad_request(exc):
        log.warning("bad request %s %s: %s", request.method, request.path, exc)
        return Response("bad request", status=400, mimetype="text/plain")

    @bp.errorhandler(RequestEntityTooLarge)
    def too_large(_exc):
        # Staff may want to follow up: who sent it (the query's openid, if any) and how big it was.
        log.warning("refused oversized message from openid=%s: %s bytes (limit %s)",
                    _sender_hint(), request.content_length if request.content_length is not None else "unknown",
                    limit)
        return Response("request body too large", status=413, mimetype="text/plain")

    @bp.errorhandler(NotStored)
    def not_stored(exc):
        # Already logged at ERROR with the reason; WeChat retries a non-200 answer.
        return Response("temporarily unavailable", status=503, mimetype="text/plain")


def _sender_hint() -> str:
    """The openid WeChat puts in the query string, trimmed to a sane length; '-' when absent."""
    value = request.args.get("openid", "")
    return value[:64] if value and value.isprintable() else "-"
