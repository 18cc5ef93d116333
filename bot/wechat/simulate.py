"""Speak to /wechat exactly as the WeChat server does: sign, encrypt, and read the reply.

Used by `linli send`, the web simulator, the tests' harness and the load generator.
"""
from __future__ import annotations

import itertools
import secrets
import time
from dataclasses import dataclass
from xml.sax.saxutils import escape

import xmltodict
from wechatpy.crypto import WeChatCrypto

from bot.wechat.codec import cdata_safe
from bot.wechat.security import sha1_signature

_ids = itertools.count(int(time.time() * 1000) % 10**12 * 1000)


@dataclass(frozen=True)
class SignedRequest:
    params: dict[str, str]
    body: str
    nonce: str
    timestamp: str

    @property
    def query(self) -> str:
        from urllib.parse import urlencode

        return urlencode(self.params)


def text_xml(open_id: str, account: str, text: str, msg_id: int | None = None,
             created: int | None = None) -> str:
    msg_id = next(_ids) if msg_id is None else msg_id
    created = int(time.time()) if created is None else created
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{open_id}]]></FromUserName><CreateTime>{created}</CreateTime>"
            f"<MsgType><![CDATA[text]]></MsgType><Content><![CDATA[{cdata_safe(text)}]]></Content>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def event_xml(open_id: str, account: str, event: str, key: str = "", created: int | None = None) -> str:
    created = int(time.time()) if created is None else created
    return (f"<xml><ToUserName><![CDATA[{account}]]></ToUserName>"
            f"<FromUserName><![CDATA[{open_id}]]></FromUserName><CreateTime>{created}</CreateTime>"
            f"<MsgType><![CDATA[event]]></MsgType><Event><![CDATA[{event}]]></Event>"
            f"<EventKey><![CDATA[{escape(key)}]]></EventKey></xml>")


class WeChatServerSimulator:
    """Builds signed (and, in safe mode, encrypted) requests and decodes replies."""

    def __init__(self, token: str, aes_key: str = "", appid: str = "", mode: str = "safe"):
        if mode not in ("plain", "compat", "safe"):
            raise ValueError("mode must be plain, compat or safe")
        if mode != "plain" and not aes_key:
            raise ValueError("an EncodingAESKey is needed for compat/safe mode")
        self.token, self.mode = token, mode
        self.crypto = WeChatCrypto(token, aes_key, appid) if aes_key else None

    def sign(self, xml: str, timestamp: int | None = None) -> SignedRequest:
        ts = str(int(time.time()) if timestamp is None else timestamp)
        nonce = secrets.token_hex(5)
        params = {"signature": sha1_signature(self.token, ts, nonce), "timestamp": ts, "nonce": nonce,
                  "openid": _field(xml, "FromUserName")}
        if self.mode == "plain":
            return SignedRequest(params, xml, nonce, ts)
        encrypt = xmltodict.parse(self.crypto.encrypt_message(xml, nonce, ts))["xml"]["Encrypt"]
        params.update(encrypt_type="aes", msg_signature=sha1_signature(self.token, ts, nonce, encrypt))
        if self.mode == "safe":
            body = f"<xml><ToUserName><![CDATA[{_field(xml, 'ToUserName')}]]></ToUserName>" \
                   f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>"
        else:
            body = xml.replace("</xml>", f"<Encrypt><![CDATA[{encrypt}]]></Encrypt></xml>")
        return SignedRequest(params, body, nonce, ts)

    def read_reply(self, body: str | bytes, request: SignedRequest) -> str | None:
        """The reply's text content, or None for 'success'/empty. Verifies safe-mode signatures."""
        text = body.decode("utf-8") if isinstance(body, bytes) else body
        if text.strip() in ("", "success"):
            return None
        data = xmltodict.parse(text)["xml"]
        if self.mode != "plain":
            if sha1_signature(self.token, str(data["TimeStamp"]), str(data["Nonce"]), data["Encrypt"]) != data["MsgSignature"]:
                raise ValueError("reply signature does not verify")
            text = self.crypto.decrypt_message(text, data["MsgSignature"], data["TimeStamp"], data["Nonce"])
            data = xmltodict.parse(text)["xml"]
        return data.get("Content") or ""


def _field(xml: str, name: str) -> str:
    return str(xmltodict.parse(xml)["xml"].get(name) or "")
