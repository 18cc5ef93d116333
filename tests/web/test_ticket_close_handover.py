"""Tickets in the console (issue 16): closing an unanswered ticket needs a reason the resident is told,
a closed ticket can be reopened; deactivating someone offers their open tickets to colleagues; a
deactivated colleague's '#3 …' is not answered as a resident's question."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Outbox, Staff, Ticket
from tests.web.helpers import open_ticket, post


def _ticket(desk, number: int) -> Ticket:
    with desk.session() as s:
        return s.get(Ticket, number)


def test_an_unanswered_ticket_needs_a_reason_to_close_and_the_resident_gets_it(console, staff_client):
    number = open_ticket(console, "楼道灯坏了三天了，请派人来修", as_="o_close_1")
    page = staff_client.get(f"/admin/tickets/{number}").get_data(as_text=True)
    assert 'id="close-form"' in page and "data-confirm=" in page and "必填" in page
    refused = post(staff_client, f"/admin/tickets/{number}/close", {}, follow_redirects=True)
    assert "不能直接关闭" in refused.get_data(as_text=True) and _ticket(console, number).status == "open"
    post(staff_client, f"/admin/tickets/{number}/close", {"reason": "已电话联系，电工明早上门"})
    assert _ticket(console, number).status == "closed"
    with console.session() as s:
        told = [o.text for o in s.scalars(select(Outbox).where(Outbox.recipient == "o_close_1"))]
    assert any("已电话联系，电工明早上门" in t for t in told)


def test_a_closed_ticket_can_be_reopened(console, staff_client):
    number = open_ticket(console, "想问一下养老补贴怎么申请", as_="o_close_2")
    post(staff_client, f"/admin/tickets/{number}/close", {"reason": "居民已到社区当面办理"})
    page = staff_client.get(f"/admin/tickets/{number}").get_data(as_text=True)
    assert 'id="reopen-form"' in page
    resp = post(staff_client, f"/admin/tickets/{number}/reopen", follow_redirects=True)
    assert "已重新打开" in resp.get_data(as_text=True)
    t = _ticket(console, number)
    assert t.status == "open" and t.closed_at is None and t.waiting_since is not None
    assert "工作人员重新打开" in staff_client.get(f"/admin/tickets/{number}").get_data(as_text=True)


def test_deactivating_offers_open_tickets_and_moves_them(console, admin):
    number = open_ticket(console, "我家门口的下水道堵了，请派人来疏通", as_="o_handover")
    holder = _ticket(console, number).assignee_id
    with console.session() as s:
        person = s.get(Staff, holder)
        other = s.scalar(select(Staff).where(Staff.active.is_(True), Staff.id != holder, Staff.role == "staff"))
        name, other_id = person.name, other.id
    form = {"role": person.role, "phone": person.phone}
    page = post(admin, f"/admin/staff/{holder}", form, token_from="/admin/staff/").get_data(as_text=True)
    assert f"{name}名下还有 1 张未办结的工单" in page and f'name="handover_{number}"' in page
    assert _ticket(console, number).assignee_id == holder  # the preview changes nothing
    resp = post(admin, f"/admin/staff/{holder}", {**form, "confirm": "1", f"handover_{number}": str(other_id)},
                token_from="/admin/staff/", follow_redirects=True)
    assert "1张工单已交给同事" in resp.get_data(as_text=True)
    assert _ticket(console, number).assignee_id == other_id


def test_a_deactivated_colleagues_command_is_not_a_residents_question(console, admin):
    with console.session() as s:
        wang = s.scalar(select(Staff).where(Staff.name == "王芳"))
        wang.active, open_id = False, wang.open_id
    reply = console.send("#3 好的，已经处理了", as_=open_id)
    assert "工作人员账号已停用" in reply
    with console.session() as s:
        assert not s.scalars(select(Ticket).where(Ticket.resident_open_id == open_id)).first()
