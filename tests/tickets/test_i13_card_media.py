"""Issue 13, findings 6-9: the contact card, answers the 48-hour window held back, media, the console page."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.db.models import Outbox, Resident
from tests.tickets.conftest import HANDOFF_Q, LINA, RESIDENT, WANGFANG, ZHANGWEI, ticket
from tests.tickets.i13_support import pin, talk  # noqa: F401 (fixture)
from tests.web.helpers import add_user, login

GAS = "楼道里有很大的煤气味"
CARD = "我住3号楼2单元301 电话13912345678"


def _to(desk, who: str) -> list[str]:
    with desk.session() as s:
        return [r.text for r in s.scalars(select(Outbox).where(Outbox.recipient == who).order_by(Outbox.id))]


def _resident(desk) -> Resident:
    with desk.session() as s:
        return s.scalars(select(Resident).where(Resident.open_id == RESIDENT)).one()


# ---- finding 6 --------------------------------------------------------------------------------
def test_urgent_asks_where_at_once_and_the_answer_reaches_everyone_on_it(talk):
    desk = talk.desk
    reply = talk.resident(GAS)
    assert "请马上回复您的具体位置" in reply and "119" in reply
    saved = talk.resident(CARD)
    assert saved.startswith("谢谢，已记下：3号楼2单元301室，电话13912345678")
    talk.deliver()
    r = _resident(desk)
    assert (r.building, r.unit, r.room, r.phone) == ("3", "2", "301", "13912345678")
    for who in (WANGFANG, LINA, ZHANGWEI):  # everyone the emergency alerted learns where it is
        assert any("【工单#1 居民联系方式】3号楼2单元301室，电话13912345678" in t for t in _to(desk, who)), who


def test_the_card_is_read_from_free_text_remembered_and_shown_in_every_notice(talk):
    desk = talk.desk
    pin(desk, {"我住3号楼2单元301 电话13912345678，楼道灯坏了": ("handoff", [])})
    ack = talk.resident("我住3号楼2单元301 电话13912345678，楼道灯坏了")
    assert "工单#1" in ack and "楼栋、单元、房号" not in ack  # known: not asked
    talk.deliver()
    new = [t for t in _to(desk, WANGFANG) if t.startswith("【新工单#1】")][0]
    assert "3栋2单元301室" in new and "13912345678" in new
    desk.clock.advance(minutes=5)
    talk.resident("楼道灯还是不亮")
    follow = [t for t in _to(desk, WANGFANG) if t.startswith("【工单#1 居民补充】")][0]
    assert "13912345678" in follow


def test_a_repair_ticket_asks_once_and_the_resident_can_read_and_change_the_card(talk):
    desk = talk.desk
    ack = talk.resident(HANDOFF_Q)
    assert "请回复您的楼栋、单元、房号和联系电话" in ack
    talk.resident("3-2-301，我姓张，电话 139 1234 5678")
    info = talk.resident("我的信息")
    assert "3号楼2单元301室" in info and "13912345678" in info
    assert talk.resident("修改电话 13800001111").startswith("已更新您的信息")
    assert _resident(desk).phone == "13800001111"
    assert talk.resident("修改电话 明天再说").startswith("没有看懂要修改的内容")
    assert _resident(desk).phone == "13800001111"  # bad input changes nothing


def test_console_shows_the_full_card_on_the_ticket_and_masks_the_phone_in_the_list(talk):
    desk = talk.desk
    talk.resident(GAS)
    talk.resident(CARD)
    add_user(desk, "王芳", "staff", "correct-horse-42")
    client = login(desk, "王芳", "correct-horse-42")
    page = client.get("/admin/tickets/1").get_data(as_text=True)
    assert "13912345678" in page and "3栋2单元301室" in page
    listing = client.get("/admin/tickets/").get_data(as_text=True)
    assert "139****5678" in listing and "13912345678" not in listing  # masked in the list


# ---- finding 7 --------------------------------------------------------------------------------
def test_an_answer_past_the_window_is_given_when_the_resident_writes_again(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.deliver()
    desk.clock.advance(hours=49)
    told = talk.staff("#1 答复 师傅明天上午九点上门。")
    assert told.startswith("未送达：居民已超过48小时没有发消息") and "居民再来消息时会自动补发" in told
    talk.deliver()
    assert not any("师傅明天上午九点上门" in c.body["text"]["content"]
                   for c in talk.fake.calls("message/custom/send") if c.body.get("touser") == RESIDENT)
    reply = talk.resident("你好")
    assert reply.startswith("【工单#1 答复】王芳：\n师傅明天上午九点上门。")
    assert reply.index("师傅明天") < reply.index("您好")
    talk.deliver()
    assert any("之前未送达的答复已补发给居民" in t for t in _to(desk, WANGFANG))
    assert talk.resident("5").startswith("感谢您的评价（5分）")  # the rating prompt came with it


def test_a_45015_answer_is_kept_and_the_staff_told_the_truth(talk):
    desk = talk.desk
    talk.resident(HANDOFF_Q)
    talk.deliver()
    talk.staff("#1 答复 已安排师傅。")
    talk.fake.fail("message/custom/send", 45015)
    talk.deliver()
    talk.deliver()
    assert any(t.startswith("【工单#1】给居民的消息未送达") for t in _to(desk, WANGFANG))
    assert talk.resident("在吗").startswith("【工单#1 答复】王芳：\n已安排师傅。")


# ---- finding 8 --------------------------------------------------------------------------------
@pytest.fixture
def media_dir(talk, tmp_path):
    talk.desk.services.media_dir = str(tmp_path)
    return tmp_path


def test_a_photo_reaches_staff_as_a_console_link_and_is_fetched_by_the_dispatcher(talk, media_dir):
    from bot.db.models import MediaItem  # issue 13's table (imported here: the file runs on older code too)

    desk, fake = talk.desk, talk.fake
    fake.media["m_img"] = (b"\xff\xd8\xff" + b"x" * 5000, "image/jpeg")
    talk.resident(HANDOFF_Q)
    talk.media("image")
    talk.deliver()
    line = [t for t in _to(desk, WANGFANG) if t.startswith("【工单#1 居民补充】")][0]
    assert "[图片] 查看：" in line and "/admin/tickets/media/1" in line
    with desk.session() as s:
        item = s.get(MediaItem, 1)
        assert item.status == "stored" and item.size == 5003 and item.ticket_id == 1
    add_user(desk, "李娜", "staff", "correct-horse-42")
    client = login(desk, "李娜", "correct-horse-42")
    got = client.get("/admin/tickets/media/1")
    assert got.status_code == 200 and got.data.startswith(b"\xff\xd8\xff") and got.mimetype == "image/jpeg"
    page = client.get("/admin/tickets/1").get_data(as_text=True)
    assert "［图片］查看" in page and "［image］" not in page
    assert desk.app.test_client().get("/admin/tickets/media/1").status_code == 302  # login first


def test_media_over_the_size_limit_is_refused(talk, media_dir, monkeypatch):
    from bot.db.models import MediaItem
    from bot.tickets import media

    monkeypatch.setattr(media, "MAX_BYTES", 1000)
    talk.fake.media["m_img"] = (b"x" * 5000, "image/jpeg")
    talk.media("image")
    talk.deliver()
    with talk.desk.session() as s:
        assert s.get(MediaItem, 1).status == "too_large"
    assert list(media_dir.iterdir()) == []


def test_voice_shows_its_recognition_and_location_a_map_point(talk, media_dir):
    desk = talk.desk
    talk.fake.media["m_voice"] = (b"#!AMR\n" + b"v" * 100, "audio/amr")
    talk.resident(HANDOFF_Q)
    talk.media("voice", recognition="师傅下午几点能来")
    talk.media("location")
    talk.deliver()
    notes = _to(desk, WANGFANG)
    assert any("[语音] 识别文字：师傅下午几点能来（原声：" in t for t in notes)
    assert any("[位置] 锦绣城3号楼（34.7466,113.6253）地图：https://uri.amap.com/marker?position=113.6253,34.7466"
               in t for t in notes)


# ---- finding 9: the console page shows exactly this ticket ------------------------------------
def test_the_console_ticket_page_lists_only_this_tickets_messages(talk):
    desk = talk.desk
    pin(desk, {"小区里的路灯坏了好几个": ("handoff", [])})
    talk.resident(HANDOFF_Q)
    desk.clock.advance(minutes=5)
    talk.resident("还在滴水，师傅什么时候来")
    desk.clock.advance(minutes=5)
    talk.resident("小区里的路灯坏了好几个")  # ticket 2, opened while ticket 1 is open
    add_user(desk, "王芳", "staff", "correct-horse-42")
    client = login(desk, "王芳", "correct-horse-42")
    one = client.get("/admin/tickets/1").get_data(as_text=True)
    two = client.get("/admin/tickets/2").get_data(as_text=True)
    assert "还在滴水，师傅什么时候来" in one and "路灯" not in one.split("处理记录")[0]
    assert "路灯" in two and "还在滴水" not in two
    assert "处理中" in one  # one set of status names: the ones WeChat uses
    assert LINA and ZHANGWEI and ticket(desk, 2).subject == "小区里的路灯坏了好几个"
    assert timedelta  # noqa
