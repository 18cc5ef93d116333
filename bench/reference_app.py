"""The bare reference server: Flask + wechatpy that verifies, decrypts, parses and echoes.

It is the floor every Linli figure is compared with: the same gunicorn settings, the same signed
and encrypted requests, no database and no handlers.  gunicorn 'bench.reference_app:app'
"""
from __future__ import annotations

import os
import time

import yaml
from flask import Flask, Response, abort, request
from wechatpy import parse_message
from wechatpy.crypto import WeChatCrypto
from wechatpy.exceptions import InvalidSignatureException
from wechatpy.replies import TextReply
from wechatpy.utils import check_signature

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def create_reference_app(token: str, aes_key: str, appid: str) -> Flask:
    """Flask app with one POST /wechat that echoes the text back, encrypted like a real reply."""
    app = Flask("linli_reference")
    crypto = WeChatCrypto(token, aes_key, appid)

    @app.post("/wechat")
    def wechat():
        args = request.args
        try:
            check_signature(token, args["signature"], args["timestamp"], args["nonce"])
            xml = crypto.decrypt_message(request.get_data(), args["msg_signature"], args["timestamp"],
                                         args["nonce"])
        except (KeyError, InvalidSignatureException):
            abort(403)
        msg = parse_message(xml)
        reply = TextReply(content=getattr(msg, "content", "") or "success", message=msg, time=int(time.time()))
        return Response(crypto.encrypt_message(reply.render(), args["nonce"], args["timestamp"]),
                        mimetype="application/xml")

    @app.get("/healthz")
    def healthz():
        return {"status": "ok"}

    return app


def _from_config() -> Flask:
    path = os.environ.get("LINLI_CONFIG") or os.path.join(ROOT, "config.yaml")
    with open(path, encoding="utf-8") as fh:
        wx = yaml.safe_load(fh)["wechat"]
    return create_reference_app(wx["token"], wx["aes_key"], wx["appid"])


app = _from_config()
