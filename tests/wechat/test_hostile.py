"""Hostile input: clear 4xx answers, never a 500, never a traceback, nothing stored."""
from __future__ import annotations

from datetime import timedelta

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from sqlalchemy import func, select

from bot.db.models import InboundMessage
from bot.wechat.security import sha1_signature
from bot.wechat.simulate import WeChatServerSimulator, text_xml
from tests.support.harness import ACCOUNT


def _params(desk, ts=None, nonce="n0nce", **extra):
    ts = str(int(desk.clock.now().timestamp()) if ts is None else ts)
    return {"signature": sha1_signature(desk.settings.wechat.token, ts, nonce), "timestamp": ts,
            "nonce": nonce, **extra}


def _stored(desk) -> int:
    with desk.session() as s:
        return s.scalar(select(func.count(InboundMessage.id)))


def _post(desk, params, body):
    return desk.client.post("/wechat", query_string=params, data=body)


def test_bad_signature_is_403(desk):
    params = _params(desk)
    params["signature"] = "f" * 40
    assert _post(desk, params, text_xml("o1", ACCOUNT, "hi", 1)).status_code == 403
    params.pop("signature")
    assert _post(desk, params, text_xml("o1", ACCOUNT, "hi", 1)).status_code == 403
    assert _stored(desk) == 0


@pytest.mark.parametrize("skew_s", [-301, 301, -86400 * 365])
def test_stale_or_future_timestamp_is_403(desk, skew_s):
    ts = int((desk.clock.now() + timedelta(seconds=skew_s)).timestamp())
    assert _post(desk, _params(desk, ts=ts), text_xml("o1", ACCOUNT, "hi", 1)).status_code == 403
    assert _stored(desk) == 0


def test_timestamp_inside_the_window_is_accepted(plain_desk):
    ts = int((plain_desk.clock.now() - timedelta(seconds=290)).timestamp())
    assert _post(plain_desk, _params(plain_desk, ts=ts), text_xml("o1", ACCOUNT, "hi", 1)).status_code == 200


XXE = """<?xml version="1.0"?><!DOCTYPE xml [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<xml><ToUserName>a</ToUserName><FromUserName>b</FromUserName><CreateTime>1</CreateTime>
<MsgType>text</MsgType><Content>&xxe;</Content><MsgId>1</MsgId></xml>"""
LAUGHS = ("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
          + "".join(f"<!ENTITY lol{i} \"{'&lol%s;' % ('' if i == 1 else i - 1) * 10}\">" for i in range(1, 10))
          + "]><xml><Content>&lol9;</Content></xml>")


@pytest.mark.parametrize("body", [
    b"", b"not xml at all", b"<xml><ToUserName>a</ToUserName>", b"<xml></xml>", b"<root/>",
    XXE.encode(), LAUGHS.encode(), b"\xff\xfe\x00<xml/>", "<xml><MsgType>text</MsgType></xml>".encode(),
    b"<xml><FromUserName>a</FromUserName><ToUserName>b</ToUserName><CreateTime>x</CreateTime><MsgType>text</MsgType></xml>",
], ids=["empty", "junk", "truncated", "empty-xml", "wrong-root", "xxe", "billion-laughs", "bad-encoding",
        "no-sender", "bad-time"])
def test_junk_is_400(plain_desk, body):
    resp = _post(plain_desk, _params(plain_desk), body)
    assert resp.status_code == 400, resp.data
    assert b"Traceback" not in resp.data
    assert _stored(plain_desk) == 0


def test_wrongly_encrypted_body_is_400(desk):
    other = WeChatServerSimulator(desk.settings.wechat.token, "A" * 43, desk.settings.wechat.appid, "safe")
    req = other.sign(text_xml("o1", ACCOUNT, "hi", 5), int(desk.clock.now().timestamp()))
    assert _post(desk, req.params, req.body).status_code == 400
    # Right key, but encrypted for another AppID.
    foreign = WeChatServerSimulator(desk.settings.wechat.token, desk.settings.wechat.aes_key, "wxOTHER", "safe")
    req = foreign.sign(text_xml("o1", ACCOUNT, "hi", 6), int(desk.clock.now().timestamp()))
    assert _post(desk, req.params, req.body).status_code == 400
    # Garbage ciphertext with a valid msg_signature.
    params = _params(desk, encrypt_type="aes")
    params["msg_signature"] = sha1_signature(desk.settings.wechat.token, params["timestamp"], params["nonce"], "bm90LWFlcw==")
    assert _post(desk, params, "<xml><Encrypt>bm90LWFlcw==</Encrypt></xml>").status_code == 400
    assert _stored(desk) == 0


def test_bad_msg_signature_is_403(desk):
    req = desk.sim.sign(text_xml("o1", ACCOUNT, "hi", 7), int(desk.clock.now().timestamp()))
    params = dict(req.params, msg_signature="0" * 40)
    assert _post(desk, params, req.body).status_code == 403


def test_oversized_body_is_413(desk):
    big = text_xml("o1", ACCOUNT, "大" * 30000, 8)
    assert len(big.encode()) > 64 * 1024
    assert _post(desk, _params(desk), big).status_code == 413
    assert _stored(desk) == 0


_text = st.one_of(st.text(max_size=200), st.binary(max_size=300).map(lambda b: b.decode("latin-1")))
_xmlish = st.builds(
    lambda tags, inner: "".join(f"<{t}>" for t in tags) + inner + "".join(f"</{t}>" for t in reversed(tags[1:])),
    st.lists(st.sampled_from(["xml", "ToUserName", "MsgType", "Encrypt", "Content", "!DOCTYPE x", "?xml"]), min_size=1, max_size=4),
    _text,
)


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(
    signed=st.booleans(),
    aes=st.booleans(),
    body=st.one_of(st.binary(max_size=600), _xmlish.map(str.encode), _text.map(lambda t: t.encode("utf-8", "surrogatepass"))),
    query=st.dictionaries(st.sampled_from(["signature", "timestamp", "nonce", "encrypt_type", "msg_signature", "echostr", "openid"]), _text, max_size=5),
    method=st.sampled_from(["POST", "GET"]),
)
def test_no_input_produces_a_500(desk, signed, aes, body, query, method):
    params = dict(query)
    if signed:
        params.update(_params(desk, nonce=str(query.get("nonce", "n"))[:20] or "n"))
        if aes:
            params["encrypt_type"] = "aes"
    resp = desk.client.open("/wechat", method=method, query_string=params, data=body)
    assert resp.status_code in (200, 400, 403, 413), (resp.status_code, resp.data[:200])
    assert b"Traceback" not in resp.data and b"Internal" not in resp.data


@pytest.mark.parametrize("ts", ["²", "１２３", "-5", "1e9", " 1795856312"])
def test_non_ascii_or_odd_timestamps_are_403(desk, ts):
    assert _post(desk, _params(desk, ts=ts), text_xml("o1", ACCOUNT, "hi", 1)).status_code == 403
