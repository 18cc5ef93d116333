"""Findings 4 and 13: never claim what did not happen; input the database cannot hold is 400, not 500."""
from __future__ import annotations

import logging

import pytest
from sqlalchemy import func, select

from bot.db import make_engine, make_session_factory
from bot.db.models import InboundMessage, Ticket
from bot.wechat.simulate import text_xml
from tests.support.harness import ACCOUNT


def _stored(desk, model=InboundMessage) -> int:
    with desk.session() as s:
        return s.scalar(select(func.count(model.id)))


def _post(desk, open_id="o1", msg_id=1, created=None, content="你好"):
    created = int(desk.clock.now().timestamp()) if created is None else created
    return desk.post(text_xml(open_id, ACCOUNT, content, msg_id, created))


def test_database_away_and_spool_broken_answers_503_so_wechat_retries(desk, tmp_path, monkeypatch, caplog):
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("x")  # the spool cannot create its folder here (like a full or read-only disk)
    monkeypatch.setenv("LINLI_SPOOL_DIR", str(blocker))
    pipeline = desk.services.pipeline
    real_factory = pipeline.session_factory
    dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    pipeline.session_factory = make_session_factory(dead)
    try:
        with caplog.at_level(logging.ERROR):
            resp = _post(desk, "o_lost", 6060)
    finally:
        pipeline.session_factory = real_factory
        dead.dispose()
    assert resp.status_code == 503 and "已转给" not in resp.get_data(as_text=True)
    assert any(r.levelno == logging.ERROR and "msg:6060" in r.getMessage() and "NOT stored" in r.getMessage()
               for r in caplog.records)
    assert _stored(desk) == 0


def test_a_failing_handler_whose_error_hook_also_fails_is_not_told_it_was_handed_over(desk, monkeypatch):
    from handlers.faq import Faq

    def boom(*_a, **_k):
        raise RuntimeError("simulated bug")

    monkeypatch.setattr(Faq, "check", boom)
    desk.services.pipeline.on_error = boom  # the hook that stores the apology breaks too
    resp = _post(desk, "o_bug", 6161, content="随便说一句")
    assert resp.status_code == 503


@pytest.mark.parametrize("field", ["open_id", "msg_id"])
def test_ids_longer_than_the_database_holds_are_400_with_nothing_half_done(desk, tmp_path, monkeypatch, field):
    monkeypatch.setenv("LINLI_SPOOL_DIR", str(tmp_path))
    long = "9" * 65 if field == "msg_id" else "o" + "x" * 64
    resp = _post(desk, open_id=long if field == "open_id" else "o1", msg_id=long if field == "msg_id" else 7)
    assert resp.status_code == 400
    assert _stored(desk) == 0 and _stored(desk, Ticket) == 0
    assert not list(tmp_path.rglob("spool-*"))


@pytest.mark.parametrize("created", [99999999999999999999, 4102444801, 10**11])
def test_absurd_create_time_is_400_not_500(desk, created):
    resp = _post(desk, msg_id=8, created=created)
    assert resp.status_code == 400, resp.status_code
    assert _stored(desk) == 0


def test_a_64_character_open_id_is_still_accepted(desk):
    assert _post(desk, open_id="o" * 64, msg_id=9).status_code == 200
    assert _stored(desk) == 1


def test_an_oversized_safe_mode_message_is_413_and_logged_with_sender_and_size(desk, caplog):
    req = desk.sim.sign(text_xml("o_big_sender", ACCOUNT, "大" * 30000, 10), int(desk.clock.now().timestamp()))
    body = req.body.encode()
    assert len(body) > desk.settings.wechat.max_body_bytes
    with caplog.at_level(logging.WARNING):
        resp = desk.client.post("/wechat", query_string=req.params, data=body)
    assert resp.status_code == 413
    lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert any("o_big_sender" in line and str(len(body)) in line for line in lines), lines
    assert _stored(desk) == 0
