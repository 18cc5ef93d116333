"""Messages spooled by an earlier process (database away, then the process died) are replayed at start."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from sqlalchemy import select

from bot.db.models import InboundMessage
from bot.domain import Inbound
from bot.spool import Spool, spool_dir
from tests.support.harness import Desk
from tests.support.harness import test_settings as settings_for


def test_a_new_process_replays_what_an_earlier_one_spooled(db_url, tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_SPOOL_DIR", str(tmp_path))
    settings = settings_for(db_url)
    left_behind = Inbound(open_id="o_spooled", account="gh", msg_key="msg:424242", kind="text",
                          at=datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc), text="社区服务大厅几点开门")
    Spool(spool_dir(settings)).accept(left_behind)
    desk = Desk(settings)  # create_app sees the waiting file and starts the replayer
    try:
        deadline = time.monotonic() + 30
        row, waiting = None, True
        while (row is None or waiting) and time.monotonic() < deadline:
            time.sleep(0.5)  # the replayer stores the message, then removes the file
            with desk.session() as s:
                row = s.scalar(select(InboundMessage).where(InboundMessage.msg_key == "msg:424242"))
            waiting = bool(Spool(spool_dir(settings)).pending())
        assert row is not None and row.text == "社区服务大厅几点开门"
        assert not waiting
    finally:
        desk.close()
