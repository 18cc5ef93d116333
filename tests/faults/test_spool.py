"""The spool on its own: durable append, claim-and-replay without losing a line, and the pipeline hook."""
from __future__ import annotations

import multiprocessing
import time
from datetime import datetime, timezone

from sqlalchemy import select

from bot.db import make_engine, make_session_factory
from bot.db.models import InboundMessage, Outbox
from bot.domain import Inbound, Location, Reply
from bot.spool import ACK, Spool, from_json, to_json

AT = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)


def inbound(n: int, **kw) -> Inbound:
    return Inbound(open_id=f"o_res_{n}", account="gh_x", msg_key=f"msg:{n}", kind="text", at=AT,
                   text=f"暖气不热 {n}", **kw)


def test_json_round_trip_keeps_every_field():
    msg = inbound(1, location=Location(34.75, 113.62, "锦绣城3号楼"), raw_type="location")
    assert from_json(to_json(msg)) == msg


def test_replay_feeds_each_message_once_and_empties_the_spool(tmp_path):
    spool = Spool(tmp_path, "0371-1")
    assert spool.accept(inbound(1)).text == ACK.format(phone="0371-1")
    spool.accept(inbound(2))
    seen, sent = [], []
    n = spool.replay(lambda m: seen.append(m) or Reply(f"答复{m.msg_key}"), lambda m, r: sent.append(r.text))
    assert n == 2 and [m.msg_key for m in seen] == ["msg:1", "msg:2"]
    assert sent == ["答复msg:1", "答复msg:2"]
    assert spool.pending() == []
    assert spool.replay(lambda m: Reply("x"), lambda m, r: sent.append(r)) == 0


def test_a_message_re_spooled_during_replay_is_not_answered(tmp_path):
    spool = Spool(tmp_path, "110")
    spool.accept(inbound(1))
    sent = []
    spool.replay(lambda m: spool.accept(m), lambda m, r: sent.append(r))  # database gone again
    assert sent == []
    assert [from_json(line).msg_key for p in spool.pending() for line in p.read_text().splitlines()] == ["msg:1"]


def test_a_torn_last_line_is_skipped_not_fatal(tmp_path):
    spool = Spool(tmp_path)
    spool.accept(inbound(1))
    with spool.path.open("ab") as fh:
        fh.write(b'{"open_id": "o_tor')
    seen = []
    spool.replay(lambda m: seen.append(m.msg_key) or Reply(""), lambda m, r: None)
    assert seen == ["msg:1"]


def _writer(directory: str, start: int, count: int) -> None:
    spool = Spool(directory)
    for i in range(start, start + count):
        spool.accept(inbound(i))


def test_writers_in_several_processes_lose_nothing_while_a_replayer_claims(tmp_path):
    seen: list[str] = []
    replayer = Spool(tmp_path)
    procs = [multiprocessing.get_context("fork").Process(target=_writer, args=(str(tmp_path), k * 1000, 60))
             for k in range(4)]
    for p in procs:
        p.start()
    while any(p.is_alive() for p in procs):
        replayer.replay(lambda m: seen.append(m.msg_key) or Reply(""), lambda m, r: None)
    for p in procs:
        p.join()
    replayer.replay(lambda m: seen.append(m.msg_key) or Reply(""), lambda m, r: None)
    expected = {f"msg:{k * 1000 + i}" for k in range(4) for i in range(60)}
    assert set(seen) == expected and len(seen) == len(expected)


def test_pipeline_spools_when_the_database_is_unreachable_and_replays_when_back(desk, tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_SPOOL_DIR", str(tmp_path))
    pipeline = desk.services.pipeline
    real_factory = pipeline.session_factory
    dead = make_engine("postgresql+psycopg://postgres@127.0.0.1:9/none?connect_timeout=2")
    pipeline.session_factory = make_session_factory(dead)
    try:
        reply = desk.send("社区服务大厅几点开门", as_="o_spooled_1", msg_id=777001)
    finally:
        pipeline.session_factory = real_factory
        dead.dispose()
    assert reply.startswith("您的消息已收到，系统正在处理")
    assert list(tmp_path.rglob("spool-*"))
    deadline = time.monotonic() + 20  # the replayer thread polls every second
    while time.monotonic() < deadline and not (_replayed(desk, "msg:777001") and not list(tmp_path.rglob("spool-*"))):
        time.sleep(0.2)  # replied in the outbox, then the replayed file removed
    row, out = _replayed(desk, "msg:777001") or (None, None)
    assert row is not None and row.open_id == "o_spooled_1" and row.reply_text
    assert out.recipient == "o_spooled_1" and out.text == row.reply_text
    assert not list(tmp_path.rglob("spool-*"))


def _replayed(desk, key: str):
    with desk.session() as s:
        row = s.scalar(select(InboundMessage).where(InboundMessage.msg_key == key))
        out = s.scalar(select(Outbox).where(Outbox.dedupe_key == f"spool-reply:{key}"))
        return (row, out) if row is not None and out is not None else None


def test_only_connection_errors_count_as_the_database_being_away():
    from sqlalchemy.exc import IntegrityError, OperationalError

    from bot.spool import unavailable

    assert unavailable(OperationalError("SELECT 1", {}, Exception("connection refused")))
    assert not unavailable(IntegrityError("INSERT", {}, Exception("duplicate key")))
