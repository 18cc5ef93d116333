"""One resident flooding the desk (issue 12, finding 7): follow-up notices are coalesced, 转人工/取消
loops cannot open ticket after ticket, and an emergency is never held back — through the webhook."""
from __future__ import annotations

from sqlalchemy import func, select

from bot.db.models import Outbox, Ticket, TicketEvent

FLOODER = "o_flooding_resident"
# Ordinary nagging: nothing the safety net reads as danger (urgent repeats always alert everyone).
NAGS = ("怎么还没人来处理", "快点派人来啊", "还没处理吗", "请尽快处理", "怎么还没回复")


def _tickets(desk, open_id: str) -> list[Ticket]:
    with desk.session() as s:
        return list(s.scalars(select(Ticket).where(Ticket.resident_open_id == open_id).order_by(Ticket.id)))


def _staff_notices(desk, open_id: str) -> list[Outbox]:
    """Outbox rows about this resident's tickets that go to someone other than the resident."""
    ids = [t.id for t in _tickets(desk, open_id)]
    return [row for row in desk.outbox() if row.ticket_id in ids and row.recipient != open_id]


def test_hundreds_of_follow_ups_make_a_handful_of_staff_notices(desk):
    desk.send("小区门口的垃圾桶满了好几天没人清理，麻烦派人来看看", as_=FLOODER)
    [ticket] = _tickets(desk, FLOODER)
    limits = desk.settings.limits
    for i in range(300):
        desk.send(NAGS[i % len(NAGS)] + "！" * (i % 4), as_=FLOODER)
        desk.clock.advance(seconds=1)
    notices = _staff_notices(desk, FLOODER)
    assert len(notices) <= 1 + limits.resident_messages + 2, [n.text[:30] for n in notices]
    with desk.session() as s:  # nothing is lost: every message is on the ticket
        joined = s.scalar(select(func.count()).select_from(TicketEvent).where(
            TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "followup"))
    assert joined >= 300 - limits.resident_messages
    assert len(_tickets(desk, FLOODER)) == 1


def test_an_emergency_in_the_middle_of_a_flood_goes_through_at_once(desk):
    desk.send("小区门口的垃圾桶满了好几天没人清理", as_=FLOODER)
    for i in range(40):
        desk.send(NAGS[i % len(NAGS)], as_=FLOODER)
    before = len(desk.outbox())
    reply = desk.send("家里厨房有很大的煤气味，老人头晕", as_=FLOODER)
    assert "紧急" in reply and "119" in reply
    [gas] = [t for t in _tickets(desk, FLOODER) if "煤气" in t.subject]
    assert gas.priority == "urgent"
    new_rows = desk.outbox()[before:]
    assert len({row.recipient for row in new_rows if row.ticket_id == gas.id and row.recipient != FLOODER}) >= 2


def test_another_resident_is_not_affected_by_a_flood(desk):
    desk.send("小区门口的垃圾桶满了好几天没人清理", as_=FLOODER)
    for i in range(40):
        desk.send(NAGS[i % len(NAGS)], as_=FLOODER)
    reply = desk.send("楼道的灯坏了好几天了，麻烦派人来修", as_="o_quiet_neighbour")
    assert "工单#" in reply and len(_staff_notices(desk, "o_quiet_neighbour")) >= 1


def test_alternating_human_and_cancel_cannot_open_dozens_of_tickets(desk):
    replies = []
    for _ in range(25):
        replies.append(desk.send("楼道灯坏了，转人工", as_=FLOODER))
        opened = _tickets(desk, FLOODER)
        if opened:
            replies.append(desk.send(f"取消 {opened[-1].id}", as_=FLOODER))
    limits = desk.settings.limits
    assert 1 <= len(_tickets(desk, FLOODER)) <= limits.resident_tickets
    assert len(_staff_notices(desk, FLOODER)) <= 2 * limits.resident_tickets + 2
    assert "没有再新建工单" in replies[-2] and "社区值班电话" in replies[-2]
