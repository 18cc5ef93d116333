"""Privacy a resident can exercise (issue 12, finding 14): 删除我的信息 with a confirmation,
`linli resident erase`, and the daily retention purge — on SQLite and PostgreSQL."""
from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from bot.db.models import Base, InboundMessage, Outbox, Resident, Ticket
from bot.privacy.retention import purge
from bot.texts import ERASE_ASK as ASK, ERASE_NOTHING as NOTHING
from scheduler import run_once
from tests.support.harness import ACCOUNT

RESIDENT = "o_private_resident_7q2w"
PHONE = "13812345678"


def _location_xml(open_id: str, at: int, msg_id: int) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{open_id}]]></FromUserName>"
            f"<CreateTime>{at}</CreateTime><MsgType><![CDATA[location]]></MsgType><Location_X>34.7466</Location_X>"
            f"<Location_Y>113.6253</Location_Y><Scale>15</Scale><Label><![CDATA[锦绣城7号楼]]></Label>"
            f"<MsgId>{msg_id}</MsgId></xml>")


def _a_resident_with_history(desk) -> int:
    """Contact details, a location, a ticket the staff answered, and some chat."""
    desk.send("几点上班", as_=RESIDENT)
    desk.send(f"楼道的灯坏了好几天了，我住7号楼2单元301，电话{PHONE}，姓李", as_=RESIDENT)
    desk.post(_location_xml(RESIDENT, int(desk.clock.now().timestamp()), 88_000_001))
    desk.event("subscribe", as_=RESIDENT)
    with desk.session() as s:
        ticket = s.scalar(select(Ticket).where(Ticket.resident_open_id == RESIDENT))
        assert ticket is not None
        return ticket.id


def _everything(desk) -> str:
    """Every value in every table, as text (to search for what must be gone)."""
    parts = []
    with desk.session() as s:
        for table in Base.metadata.sorted_tables:
            for row in s.execute(select(table)):
                parts.append(f"{table.name}: {tuple(row)}")
    return "\n".join(parts)


def test_a_resident_erases_their_own_data_after_confirming(desk):
    number = _a_resident_with_history(desk)
    assert RESIDENT in _everything(desk) and PHONE in _everything(desk)
    assert desk.send("删除我的信息", as_=RESIDENT) == ASK
    done = desk.send("确认删除", as_=RESIDENT)
    assert "已删除" in done
    everything = _everything(desk)
    for secret in (RESIDENT, PHONE, "7号楼2单元301", "锦绣城7号楼", "34.7466", "楼道的灯坏了"):
        assert secret not in everything, secret
    with desk.session() as s:  # the ledger keeps the ticket, anonymised and withdrawn
        ticket = s.get(Ticket, number)
        assert ticket.status == "cancelled" and ticket.category and ticket.resident_open_id.startswith("erased-")


def test_anything_but_the_confirmation_cancels_the_request(desk):
    _a_resident_with_history(desk)
    assert desk.send("删除我的信息", as_=RESIDENT) == ASK
    desk.send("几点上班", as_=RESIDENT)
    assert desk.send("确认删除", as_=RESIDENT) == NOTHING
    assert PHONE in _everything(desk)
    desk.send("删除我的信息", as_=RESIDENT)
    desk.clock.advance(minutes=11)  # the request expires
    assert desk.send("确认删除", as_=RESIDENT) == NOTHING


def test_linli_resident_erase(desk):
    _a_resident_with_history(desk)
    runner = CliRunner()
    refused = runner.invoke(cli, ["resident", "erase", RESIDENT], obj={"settings": desk.settings}, input="n\n")
    assert refused.exit_code != 0 and PHONE in _everything(desk)
    result = runner.invoke(cli, ["resident", "erase", RESIDENT, "--yes"], obj={"settings": desk.settings})
    assert result.exit_code == 0, result.output
    assert "已删除" in result.output and RESIDENT not in _everything(desk)
    again = runner.invoke(cli, ["resident", "erase", RESIDENT, "--yes"], obj={"settings": desk.settings})
    assert again.exit_code == 0 and "没有找到" in again.output


def _days_later(desk, days: int):
    return desk.clock.now() + timedelta(days=days)


def test_nothing_is_purged_within_its_retention(desk):
    _a_resident_with_history(desk)
    run_once(desk.services, _days_later(desk, 10), outbox=False)
    assert PHONE in _everything(desk) and "锦绣城7号楼" in _everything(desk)
    with desk.session() as s:
        texts = [m.text for m in s.scalars(select(InboundMessage).where(InboundMessage.open_id == RESIDENT))]
        assert s.scalar(select(Resident).where(Resident.open_id == RESIDENT)) is not None
    assert any("楼道的灯坏了" in t for t in texts)


def test_locations_then_texts_age_out_and_tickets_stay_anonymised(desk):
    number = _a_resident_with_history(desk)
    with desk.session() as s:
        s.get(Ticket, number).status = "closed"
        s.get(Ticket, number).closed_at = desk.clock.now()
        for row in s.scalars(select(Outbox)):
            row.status = "sent"
    privacy = desk.settings.privacy
    run_once(desk.services, _days_later(desk, privacy.locations_days + 1), outbox=False)
    everything = _everything(desk)
    assert "34.7466" not in everything and "锦绣城7号楼" not in everything
    assert "楼道的灯坏了" in everything  # texts are kept longer
    assert not [r for r in desk.outbox() if r.created_at <= desk.clock.now()]  # delivered ones aged out
    last = max(privacy.message_texts_days, privacy.ticket_residents_days)
    summary = run_once(desk.services, _days_later(desk, last + 1), outbox=False)
    assert summary["privacy"]["message_texts"] >= 3
    with desk.session() as s:
        assert not [m for m in s.scalars(select(InboundMessage)) if m.text or m.open_id == RESIDENT]
        ticket = s.get(Ticket, number)
        assert ticket.resident_open_id == "anon" and PHONE not in ticket.subject and ticket.category
    assert PHONE not in _everything(desk).split("residents:")[0]


def test_the_purge_runs_once_a_day_and_twice_changes_nothing(desk):
    number = _a_resident_with_history(desk)
    with desk.session() as s:  # a contact card stays while a ticket is open
        s.get(Ticket, number).status, s.get(Ticket, number).closed_at = "closed", desk.clock.now()
    later = _days_later(desk, desk.settings.privacy.resident_profiles_days + 1)
    first = run_once(desk.services, later, outbox=False)["privacy"]
    assert first is not None and first["residents"] == 1
    assert run_once(desk.services, later + timedelta(hours=1), outbox=False)["privacy"] is None  # done today
    snapshot = _everything(desk)
    with desk.session() as s:  # the same purge again, directly: nothing left to do
        second = purge(s, desk.services, later + timedelta(hours=2))
    assert not any(second.values()) and _everything(desk) == snapshot
    with desk.session() as s:
        assert s.scalar(select(Resident).where(Resident.open_id == RESIDENT)) is None
