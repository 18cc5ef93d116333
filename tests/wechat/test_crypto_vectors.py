"""Every vector in shared/wechat_corpus/vectors.json through the project's crypto layer."""
from __future__ import annotations

import json

import pytest
import xmltodict

from bot.wechat.crypto import MessageCrypto
from bot.wechat.security import Forbidden, verify_signature


def _vectors(shared_dir, kind):
    data = json.loads((shared_dir / "wechat_corpus" / "vectors.json").read_text(encoding="utf-8"))
    return [v for v in data["vectors"] if v["kind"] == kind]


def _corpus_file(shared_dir, name):
    return (shared_dir / "wechat_corpus" / name).read_text(encoding="utf-8")


def _body(shared_dir, v) -> bytes:
    if v.get("body_files"):
        return _corpus_file(shared_dir, v["body_files"][0]).encode()
    return f"<xml><ToUserName><![CDATA[x]]></ToUserName><Encrypt><![CDATA[{v['encrypt']}]]></Encrypt></xml>".encode()


def _expected(shared_dir, v) -> str:
    if v.get("expected_plaintext_file"):
        return _corpus_file(shared_dir, v["expected_plaintext_file"])
    return v["expected_plaintext"]


def test_plain_signature_vectors(shared_dir):
    vectors = _vectors(shared_dir, "plain_signature")
    assert len(vectors) >= 4
    for v in vectors:
        parts = (v["token"], v["timestamp"], v["nonce"])
        if v.get("expect") == "InvalidSignatureException":
            with pytest.raises(Forbidden, match="bad signature"):
                verify_signature(parts, v["signature"])
        else:
            verify_signature(parts, v["signature"])


def _same_message(a: str, b: str) -> bool:
    return xmltodict.parse(a)["xml"] == xmltodict.parse(b)["xml"]


def _official_account(shared_dir, kind):
    """The corpus's WeCom vectors tested WorkCrypto, which no product path used (deleted)."""
    return [v for v in _vectors(shared_dir, kind) if v["platform"] == "official_account"]


def test_message_decrypt_vectors(shared_dir):
    vectors = _official_account(shared_dir, "message_decrypt")
    assert vectors
    for v in vectors:
        crypto = MessageCrypto(v["token"], v["encoding_aes_key"], v["receive_id"])
        plain = crypto.decrypt(_body(shared_dir, v), v["msg_signature"], v["timestamp"], v["nonce"])
        assert _same_message(plain, _expected(shared_dir, v)), v["id"]


def test_message_decrypt_rejects_tampered_signature(shared_dir):
    for v in _official_account(shared_dir, "message_decrypt"):
        crypto = MessageCrypto(v["token"], v["encoding_aes_key"], v["receive_id"])
        bad = v["msg_signature"][:-1] + ("0" if v["msg_signature"][-1] != "0" else "1")
        with pytest.raises(Forbidden):
            crypto.decrypt(_body(shared_dir, v), bad, v["timestamp"], v["nonce"])

