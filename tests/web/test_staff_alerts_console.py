"""The console shows a red banner for a staff notice no channel delivered, until someone acknowledges it,
and lists every staff notice with its delivery state."""
from __future__ import annotations

from bot.db.models import Outbox
from bot.outbox.undelivered import undelivered
from tests.scheduler.helpers import staff
from tests.web.helpers import csrf


def _undelivered_notice(desk) -> int:
    """A reminder to 杨磊 that every channel refused (as the dispatcher records it)."""
    from bot.outbox.staff_channels import queue_staff_notice

    now = desk.clock.now()
    with desk.session() as s:
        queue_staff_notice(s, desk.settings, staff(s, "杨磊"), "【待回复提醒】您好，工单 #7 已等待15分钟。", now, "esc:test")
        s.flush()
        row = s.query(Outbox).filter_by(dedupe_key="esc:test").one()
        row.status, row.last_error = "failed", "wecom_app: not configured; customer_service: WeChat error 45015"
        undelivered(s, desk.services, row, now)
        return row.id


def test_the_red_banner_stays_until_someone_acknowledges_it(console, staff_client):
    _undelivered_notice(console)
    page = staff_client.get("/admin/tickets/").get_data(as_text=True)
    assert "通知未送达" in page and "发给杨磊的通知所有渠道都失败了" in page
    ack = [line for line in page.splitlines() if "/admin/alerts/" in line and "/ack" in line]
    assert ack
    path = ack[0].split('action="')[1].split('"')[0]
    assert staff_client.post(path, data={"csrf_token": csrf(staff_client, "/admin/tickets/")}).status_code == 302
    assert "发给杨磊的通知所有渠道都失败了" not in staff_client.get("/admin/tickets/").get_data(as_text=True)
    assert staff_client.post(path, data={"csrf_token": csrf(staff_client, "/admin/tickets/")}).status_code == 404


def test_every_staff_notice_shows_its_delivery_state(console, admin):
    _undelivered_notice(console)
    page = admin.get("/admin/notices").get_data(as_text=True)
    assert "杨磊" in page and "发送失败" in page and "已转告" in page and "45015" in page
    assert "张伟" in page  # the forwarded notice to the on-duty lead, waiting to be sent
    assert "待发送" in page


def test_the_notices_page_needs_a_login(console):
    assert console.app.test_client().get("/admin/notices").status_code == 302
