"""Finding 1: the message mode is configuration; safe/compat never trust a plaintext body; nonces are single-use."""
from __future__ import annotations

import pytest
import xmltodict
from sqlalchemy import func, select

from bot.config import ConfigError, load_settings
from bot.db.models import InboundMessage, Ticket
from bot.wechat.security import sha1_signature
from bot.wechat.simulate import WeChatServerSimulator, text_xml
from tests.support.harness import ACCOUNT, ROOT


def _count(desk, model=InboundMessage) -> int:
    with desk.session() as s:
        return s.scalar(select(func.count(model.id)))


def _plain_params(desk, nonce="n0nce"):
    ts = str(int(desk.clock.now().timestamp()))
    return {"signature": sha1_signature(desk.settings.wechat.token, ts, nonce), "timestamp": ts, "nonce": nonce}


def test_safe_mode_refuses_a_plaintext_body_signed_only_by_the_query(desk):
    """A captured callback query (signature covers token/timestamp/nonce, not the body) forges nothing."""
    forged = text_xml("o_demo_staff_wangfang", ACCOUNT, "待办", 31337, int(desk.clock.now().timestamp()))
    resp = desk.client.post("/wechat", query_string=_plain_params(desk), data=forged)
    assert resp.status_code == 403
    assert _count(desk) == 0


def test_safe_mode_refuses_aes_without_msg_signature(desk):
    req = desk.sim.sign(text_xml("o1", ACCOUNT, "你好", 1), int(desk.clock.now().timestamp()))
    params = {k: v for k, v in req.params.items() if k != "msg_signature"}
    assert desk.client.post("/wechat", query_string=params, data=req.body).status_code == 403
    assert _count(desk) == 0


def test_compat_mode_uses_the_encrypted_copy_not_the_plaintext_beside_it(db_url):
    from tests.support.harness import Desk, test_settings

    desk = Desk(test_settings(db_url, **{"wechat.mode": "compat"}), mode="compat")
    try:
        req = desk.sim.sign(text_xml("o_real", ACCOUNT, "社区服务大厅几点开门", 4242), int(desk.clock.now().timestamp()))
        tampered = req.body.replace("o_real", "o_forged").replace("社区服务大厅几点开门", "待办", 1)
        assert "o_forged" in tampered  # the plaintext copy was changed; <Encrypt> was not
        resp = desk.client.post("/wechat", query_string=req.params, data=tampered.encode())
        assert resp.status_code == 200
        with desk.session() as s:
            row = s.scalar(select(InboundMessage))
        assert (row.open_id, row.text) == ("o_real", "社区服务大厅几点开门")
    finally:
        desk.close()


def test_plain_mode_refuses_a_second_body_under_one_captured_signature(plain_desk):
    """Twenty bodies under one signature used to open twenty tickets; now only the first counts."""
    params = _plain_params(plain_desk, nonce="captured1")
    codes = []
    for i in range(20):
        body = text_xml(f"o_victim_{i}", ACCOUNT, "楼上漏水到我家了，请派人来看看", 9000 + i,
                        int(plain_desk.clock.now().timestamp()))
        codes.append(plain_desk.client.post("/wechat", query_string=params, data=body).status_code)
    assert codes == [200] + [403] * 19
    assert _count(plain_desk) == 1 and _count(plain_desk, Ticket) <= 1


def test_a_retry_of_the_same_message_under_the_same_nonce_gets_the_same_reply(desk):
    req = desk.sim.sign(text_xml("o1", ACCOUNT, "社区服务大厅几点开门", 5150), int(desk.clock.now().timestamp()))
    first = desk.client.post("/wechat", query_string=req.params, data=req.body.encode())
    again = desk.client.post("/wechat", query_string=req.params, data=req.body.encode())
    assert first.status_code == again.status_code == 200
    assert desk.sim.read_reply(first.data, req) == desk.sim.read_reply(again.data, req)
    assert _count(desk) == 1


def test_an_over_long_nonce_is_refused(desk):
    nonce = "n" * 65
    req = desk.sim.sign(text_xml("o1", ACCOUNT, "你好", 77), int(desk.clock.now().timestamp()))
    ts = req.params["timestamp"]
    token = desk.settings.wechat.token
    encrypt = xmltodict.parse(req.body)["xml"]["Encrypt"]
    params = dict(req.params, nonce=nonce, signature=sha1_signature(token, ts, nonce),
                  msg_signature=sha1_signature(token, ts, nonce, encrypt))  # correctly signed, just too long
    assert desk.client.post("/wechat", query_string=params, data=req.body.encode()).status_code == 403
    assert _count(desk) == 0


def test_mode_comes_from_config_or_environment(tmp_path):
    settings = load_settings(ROOT / "config.yaml", env={})
    assert settings.wechat.mode == "safe"
    assert load_settings(ROOT / "config.yaml", env={"LINLI_WECHAT_MODE": "plain"}).wechat.mode == "plain"
    with pytest.raises(ConfigError, match="wechat.mode"):
        load_settings(ROOT / "config.yaml", env={"LINLI_WECHAT_MODE": "loose"})
    text = (ROOT / "config.yaml").read_text(encoding="utf-8")
    no_key = tmp_path / "c.yaml"
    no_key.write_text(text.replace("  aes_key: ", "  # aes_key: ", 1), encoding="utf-8")
    with pytest.raises(ConfigError, match="EncodingAESKey"):
        load_settings(no_key, env={})


def test_simulator_page_and_send_follow_the_configured_mode(db_url):
    """The demo simulator speaks the mode the account is set to (plain here), and gets answers."""
    from tests.support.harness import Desk, test_settings

    desk = Desk(test_settings(db_url, **{"wechat.mode": "plain"}), mode="plain")
    try:
        with desk.app.test_request_context():
            from bot.web.simulator import send_as

            result = send_as("o_demo_resident_1", "社区服务大厅几点开门")
        assert result["ok"] and result["reply"]
    finally:
        desk.close()
