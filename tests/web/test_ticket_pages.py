"""Tickets in the console: queue filters, reply through the outbox, transfer, close, propose as FAQ."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import FaqDraft, Outbox, Staff, Ticket
from tests.web.helpers import login, open_ticket, post

QUESTION = "我想问一下3号楼楼顶的太阳能热水器能不能装"


def _ticket(desk, number) -> Ticket:
    with desk.session() as s:
        return s.get(Ticket, number)


def test_queue_lists_the_ticket_and_filters_work(console, staff_client):
    number = open_ticket(console, QUESTION)
    page = staff_client.get("/admin/tickets/").get_data(as_text=True)
    assert f"#{number}" in page and "太阳能" in page
    assert f"#{number}<" not in staff_client.get("/admin/tickets/?filter=urgent").get_data(as_text=True)
    assert f"#{number}<" not in staff_client.get("/admin/tickets/?status=closed").get_data(as_text=True)
    category = _ticket(console, number).category
    assert f"#{number}<" in staff_client.get(f"/admin/tickets/?category={category}").get_data(as_text=True)


def test_overdue_filter_uses_the_escalation_ladder(console, staff_client):
    number = open_ticket(console, QUESTION)
    assert f"#{number}<" not in staff_client.get("/admin/tickets/?filter=overdue").get_data(as_text=True)
    console.clock.advance(hours=5)
    staff_client = login(console, "王芳")  # an idle console session ends (issue 12B): log in again
    assert f"#{number}<" in staff_client.get("/admin/tickets/?filter=overdue").get_data(as_text=True)


def test_mine_filter(console, staff_client):
    number = open_ticket(console, QUESTION)
    assert f"#{number}<" not in staff_client.get("/admin/tickets/?filter=mine").get_data(as_text=True)
    post(staff_client, f"/admin/tickets/{number}/take")
    assert f"#{number}<" in staff_client.get("/admin/tickets/?filter=mine").get_data(as_text=True)


def test_ticket_page_shows_the_residents_message(console, staff_client):
    number = open_ticket(console, QUESTION)
    page = staff_client.get(f"/admin/tickets/{number}").get_data(as_text=True)
    assert QUESTION in page and "处理记录" in page and "答复居民" in page


def test_console_reply_goes_to_the_resident_through_the_outbox(console, staff_client):
    number = open_ticket(console, QUESTION, as_="o_res_reply")
    resp = post(staff_client, f"/admin/tickets/{number}/answer", {"text": "您好，楼顶不允许私装，请到物业登记。"})
    assert resp.status_code == 302
    rows = [r for r in console.outbox("o_res_reply") if "楼顶不允许私装" in r.text]
    assert len(rows) == 1 and rows[0].channel == "customer_service" and rows[0].ticket_id == number
    t = _ticket(console, number)
    assert t.status == "answered" and t.first_response_at is not None
    assert "王芳" in staff_client.get(f"/admin/tickets/{number}").get_data(as_text=True)


def test_empty_reply_is_refused(console, staff_client):
    number = open_ticket(console, QUESTION)
    before = len(console.outbox())
    post(staff_client, f"/admin/tickets/{number}/answer", {"text": "   "})
    assert len(console.outbox()) == before and _ticket(console, number).status == "open"


def test_transfer_and_close(console, staff_client):
    number = open_ticket(console, QUESTION, as_="o_res_close")
    with console.session() as s:
        lina = s.scalar(select(Staff).where(Staff.name == "李娜"))
    post(staff_client, f"/admin/tickets/{number}/transfer", {"to": lina.id})
    assert _ticket(console, number).assignee_id == lina.id
    assert any("李娜" == r.recipient or r.recipient == lina.open_id for r in console.outbox())
    post(staff_client, f"/admin/tickets/{number}/close", {"reason": "已电话答复居民"})
    assert _ticket(console, number).status == "closed"
    resp = post(staff_client, f"/admin/tickets/{number}/answer", {"text": "还在吗"}, follow_redirects=True)
    assert "已结束" in resp.get_data(as_text=True)


def test_answered_ticket_can_be_proposed_as_faq_draft(console, staff_client):
    number = open_ticket(console, QUESTION)
    post(staff_client, f"/admin/tickets/{number}/answer", {"text": "可以，需要先到物业登记。"})
    post(staff_client, f"/admin/tickets/{number}/propose")
    with console.session() as s:
        draft = s.scalar(select(FaqDraft).where(FaqDraft.ticket_id == number))
        assert draft.answer == "可以，需要先到物业登记。" and draft.proposed_by == "王芳"


def test_unknown_ticket_is_404(staff_client):
    assert staff_client.get("/admin/tickets/99999").status_code == 404
    assert post(staff_client, "/admin/tickets/99999/close").status_code == 404


def test_outbox_untouched_by_viewing(console, staff_client):
    number = open_ticket(console, QUESTION)
    before = len(console.outbox())
    staff_client.get(f"/admin/tickets/{number}")
    with console.session() as s:
        assert s.query(Outbox).count() == before
