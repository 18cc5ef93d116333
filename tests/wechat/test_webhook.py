"""The webhook as WeChat drives it: URL check, every corpus message in every mode, exactly once."""
from __future__ import annotations

import threading
from datetime import datetime, timezone

import pytest
from sqlalchemy import delete, func, select

from bot.db.models import InboundMessage, Resident
from bot.wechat.security import sha1_signature
from bot.wechat.simulate import WeChatServerSimulator, text_xml
from tests.support.harness import ACCOUNT

CORPUS_REPLIES = {
    # file -> what the resident should get back: "welcome", "ack", "polite" (unknown type), None (success)
    "text.xml": "ack", "image.xml": "ack", "voice.xml": "ack", "voice_with_recognition.xml": "ack",
    "video.xml": "ack", "shortvideo.xml": "ack", "location.xml": "ack", "link.xml": "ack",
    "unknown_msgtype.xml": "polite", "event_subscribe.xml": "welcome",
    "event_subscribe_qrscene.xml": "welcome", "event_subscribe_other_eventkey.xml": "welcome",
    "event_scan.xml": "welcome", "event_unsubscribe.xml": None, "event_click.xml": None,
    "event_view.xml": None, "event_location.xml": None, "event_scancode_push.xml": None,
    "event_templatesendjobfinish_success.xml": None, "event_templatesendjobfinish_failed.xml": None,
    "event_unknown.xml": None,
}


def _classify(reply: str | None) -> str | None:
    if reply is None:
        return None
    if "欢迎关注" in reply:
        return "welcome"
    if "无法识别" in reply:
        return "polite"
    return "ack"


def test_url_verification_echoes_echostr(desk):
    ts, nonce = str(int(desk.clock.now().timestamp())), "n1"
    sig = sha1_signature(desk.settings.wechat.token, ts, nonce)
    ok = desk.client.get("/wechat", query_string={"signature": sig, "timestamp": ts, "nonce": nonce, "echostr": "e123"})
    assert (ok.status_code, ok.data) == (200, b"e123")
    bad = desk.client.get("/wechat", query_string={"signature": "0" * 40, "timestamp": ts, "nonce": nonce, "echostr": "e"})
    assert bad.status_code == 403


def test_corpus_covers_every_message_file(shared_dir):
    files = {p.name for p in (shared_dir / "wechat_corpus" / "messages").glob("*.xml")}
    assert files == set(CORPUS_REPLIES)


@pytest.mark.parametrize("mode", ["plain", "compat", "safe"])
def test_every_corpus_message_through_the_webhook(request, db_url, shared_dir, mode):
    # A plaintext-mode account is configured as such; compat bodies are accepted by a safe-mode desk.
    desk = request.getfixturevalue("plain_desk" if mode == "plain" else "desk")
    desk.sim = WeChatServerSimulator(desk.settings.wechat.token, desk.settings.wechat.aes_key,
                                     desk.settings.wechat.appid, mode)
    for name, expected in sorted(CORPUS_REPLIES.items()):
        xml = (shared_dir / "wechat_corpus" / "messages" / name).read_text(encoding="utf-8")
        resp = desk.post(xml)
        assert resp.status_code == 200, (name, resp.data)
        reply = desk.sim.read_reply(resp.data, desk.last_request)
        assert _classify(reply) == expected, (name, reply)
        if mode != "plain" and reply is not None:
            assert b"<Encrypt>" in resp.data
        with desk.session() as s:
            # The samples share MsgIds and user+time keys, so each is checked on its own.
            (key,) = s.scalars(select(InboundMessage.msg_key))
            s.execute(delete(InboundMessage))
        assert key.startswith("evt:" if name.startswith("event_") else "msg:"), (name, key)


def test_unknown_message_type_is_stored_and_answered(desk, shared_dir):
    xml = (shared_dir / "wechat_corpus" / "messages" / "unknown_msgtype.xml").read_text(encoding="utf-8")
    resp = desk.post(xml)
    assert "无法识别" in desk.sim.read_reply(resp.data, desk.last_request)
    with desk.session() as s:
        row = s.scalar(select(InboundMessage))
    assert row.kind == "unknown" and row.handler == "fallback"


def test_official_sample_compat_and_safe_bodies(db_url, shared_dir):
    """Tencent's own sample (token spamtest) decrypts through the webhook in both encrypted modes."""
    import json

    from tests.support.harness import Desk, test_settings

    vectors = json.loads((shared_dir / "wechat_corpus" / "vectors.json").read_text(encoding="utf-8"))["vectors"]
    v = next(x for x in vectors if x["id"] == "mp_official_decrypt")
    settings = test_settings(db_url)
    settings.wechat.token, settings.wechat.aes_key, settings.wechat.appid = v["token"], v["encoding_aes_key"], v["receive_id"]
    desk = Desk(settings, start=datetime.fromtimestamp(int(v["timestamp"]) + 30, tz=timezone.utc))
    try:
        params = {"signature": sha1_signature(v["token"], v["timestamp"], v["nonce"]), "timestamp": v["timestamp"],
                  "nonce": v["nonce"], "encrypt_type": "aes", "msg_signature": v["msg_signature"]}
        for name in ("mp_official_compat_body.xml", "mp_official_safe_body.xml"):
            body = (shared_dir / "wechat_corpus" / "encrypted" / name).read_bytes()
            resp = desk.client.post("/wechat", query_string=params, data=body)
            assert resp.status_code == 200, (name, resp.data)
            assert b"<Encrypt>" in resp.data
        with desk.session() as s:
            rows = list(s.scalars(select(InboundMessage)))
        assert [(r.msg_key, r.text) for r in rows] == [("msg:6054768590064713728", "abcdteT")]
        # The corpus timestamp is old: without moving the clock the same request is refused.
        desk.clock.set(datetime(2026, 11, 28, tzinfo=timezone.utc))
        assert desk.client.post("/wechat", query_string=params, data=body).status_code == 403
    finally:
        desk.close()


def test_retry_gets_the_same_reply_and_stores_nothing_new(desk):
    first = desk.send("你好，我想问个事", msg_id=4242)
    again = desk.send("你好，我想问个事", msg_id=4242)
    assert first == again and first
    with desk.session() as s:
        assert s.scalar(select(func.count(InboundMessage.id))) == 1
        assert s.scalar(select(func.count(Resident.id))) == 1


def test_event_retry_is_deduplicated_by_user_and_time(desk):
    assert "欢迎关注" in desk.event("subscribe", as_="o_new")
    assert "欢迎关注" in desk.event("subscribe", as_="o_new")
    with desk.session() as s:
        assert s.scalar(select(func.count(InboundMessage.id))) == 1


def test_concurrent_deliveries_store_one_row(desk):
    """Two threads deliver the same MsgId at once (a WeChat retry racing the original)."""
    sim, account = desk.sim, ACCOUNT
    xml = text_xml("o_race", account, "同一条消息", 777001, int(desk.clock.now().timestamp()))
    results, barrier = [], threading.Barrier(4)

    def deliver():
        client = desk.app.test_client()
        req = sim.sign(xml, int(desk.clock.now().timestamp()))
        barrier.wait()
        resp = client.post("/wechat", query_string=req.params, data=req.body.encode())
        results.append((resp.status_code, sim.read_reply(resp.data, req)))

    threads = [threading.Thread(target=deliver) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert len(results) == 4 and {code for code, _ in results} == {200}
    assert len({reply for _, reply in results}) == 1
    with desk.session() as s:
        assert s.scalar(select(func.count(InboundMessage.id)).where(InboundMessage.msg_key == "msg:777001")) == 1


def test_a_failing_handler_gets_an_apology_and_the_retry_the_same(desk, monkeypatch):
    from handlers.faq import Faq

    def boom(self, msg, ctx):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Faq, "check", boom)
    first = desk.send("随便说一句", msg_id=999)
    assert "抱歉" in first and desk.settings.desk.duty_phone in first
    assert desk.send("随便说一句", msg_id=999) == first
    with desk.session() as s:
        row = s.scalar(select(InboundMessage))
    assert row.handler == "error" and "simulated bug" in row.error
