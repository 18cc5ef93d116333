"""The safety net through the webhook: urgent, caution and requests for action, as WeChat sends
them (signed, encrypted XML), on SQLite and PostgreSQL."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Ticket

URGENT_WITH_PROCEDURE = "我爸在楼道摔倒了起不来，头上在流血，救护车的钱社区能申请补助吗"
CAUTION = "楼下好像有股怪味，说不上来是什么"
REPAIR = "楼道的灯坏了，麻烦派人来修一下"


def _tickets(desk):
    with desk.session() as s:
        return [(t.id, t.category, t.priority) for t in s.scalars(select(Ticket).order_by(Ticket.id))]


def test_emergency_with_a_procedure_word_gets_the_full_alarm(desk):
    reply = desk.send(URGENT_WITH_PROCEDURE)
    assert reply.startswith("【紧急】") and "120" in reply and "拨打120" in reply   # medical guidance
    assert "您是不是想问" not in reply
    assert _tickets(desk) == [(1, "urgent", "urgent")]
    staff = [o for o in desk.outbox() if o.recipient.startswith("o_demo_staff")]
    assert staff and all("紧急工单#1" in o.text for o in staff)


def test_caution_gets_numbers_a_ticket_and_no_menu(desk):
    reply = desk.send(CAUTION)
    assert "工单#1" in reply and "119" in reply and "120" in reply and "110" in reply
    assert "具体位置" in reply and "您是不是想问" not in reply and "回复“0”" not in reply
    assert _tickets(desk) == [(1, "urgent", "high")]
    staff = [o for o in desk.outbox() if o.recipient.startswith("o_demo_staff")]
    assert len(staff) >= 2 and all("可能紧急" in o.text for o in staff)   # both on duty hear of it


def test_a_repair_request_is_a_ticket_at_once(desk):
    reply = desk.send(REPAIR)
    assert "工单#1" in reply and "您是不是想问" not in reply
    assert _tickets(desk)[0][1] == "repair"
