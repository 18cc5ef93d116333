"""Console error pages are in Chinese (issue 16); the webhook keeps its plain answers."""
from __future__ import annotations


def test_staff_opening_an_admin_page_gets_a_chinese_403(console, staff_client):
    resp = staff_client.get("/admin/faq/")
    page = resp.get_data(as_text=True)
    assert resp.status_code == 403 and "没有权限" in page and "Forbidden" not in page


def test_a_missing_ticket_is_a_chinese_404(console, staff_client):
    resp = staff_client.get("/admin/tickets/999999")
    assert resp.status_code == 404 and "页面不存在" in resp.get_data(as_text=True)
    assert "Not Found" not in resp.get_data(as_text=True)


def test_outside_the_console_404_stays_plain(console):
    resp = console.app.test_client().get("/no-such-page")
    assert resp.status_code == 404 and "页面不存在" not in resp.get_data(as_text=True)


def test_a_wrong_phone_number_is_refused_in_chinese(console, admin):
    from sqlalchemy import select

    from bot.db.models import Staff
    from tests.web.helpers import post

    with console.session() as s:
        wang = s.scalar(select(Staff).where(Staff.name == "王芳"))
        wid, phone = wang.id, wang.phone
    resp = post(admin, f"/admin/staff/{wid}", {"role": "staff", "phone": "12345", "active": "on", "eligible": "on"},
                token_from="/admin/staff/", follow_redirects=True)
    assert "电话号码格式不对" in resp.get_data(as_text=True)
    with console.session() as s:
        assert s.get(Staff, wid).phone == phone
