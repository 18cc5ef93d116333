"""Fixtures for ticket tests: the desk wired to a fake WeChat API on 127.0.0.1, and helpers."""
from __future__ import annotations

import itertools

import pytest
from sqlalchemy import select

from bot.db.models import Ticket, TicketEvent
from knowledge_base.matcher import Candidate, MatchResult
from bot.outbox.dispatcher import dispatch_due
from tests.support.fakes.fake_wechat import FakeWeChat
from tests.support.harness import ACCOUNT, Desk, test_settings

RESIDENT = "o_resident_1"
WANGFANG, LINA, ZHANGWEI = "o_demo_staff_wangfang", "o_demo_staff_lina", "o_demo_staff_zhangwei"
ON_DUTY = ["王芳", "李娜"]
HANDOFF_Q = "我家厨房水龙头坏了"  # pinned: the FAQ hands this off
ANSWERABLE_Q = "社区有没有书法班"  # pinned: the FAQ answers this with confidence
_ids = itertools.count(50_000_000)


@pytest.fixture
def fake_wechat():
    fake = FakeWeChat().start()
    yield fake
    fake.stop()


def make_desk(db_url, fake: FakeWeChat | None, **overrides) -> Desk:
    """A desk with today's duty fixed to 王芳 and 李娜, sending through the fake API when given."""
    values = {"desk.on_duty": list(ON_DUTY)}
    if fake is not None:
        values.update({"outbox.transport": "wechat", "wechat.api_base_url": fake.base_url})
    values.update(overrides)
    desk = Desk(test_settings(db_url, **values))
    desk.services.matchers = PinnedMatchers(desk.services.matchers)
    return desk


class _PinnedLive:
    """The live FAQ snapshot, with two questions' decisions pinned (the KB evolves independently)."""

    def __init__(self, live):
        self.live, self.entries, self.version, self.matcher = live, live.entries, live.version, live.matcher

    def match(self, text: str):
        if text == HANDOFF_Q:
            return MatchResult("handoff", (), text)
        if text == ANSWERABLE_Q:
            entry = next(iter(self.entries.values()))
            return MatchResult("answer", (Candidate(entry.id, entry.question, 0.99, entry.route),), text)
        return self.live.match(text)


class PinnedMatchers:
    def __init__(self, provider):
        self.provider = provider

    def current(self, session=None):
        return _PinnedLive(self.provider.current(session))


@pytest.fixture
def wx(db_url, fake_wechat):
    """(desk, fake): the real webhook in safe mode, the outbox sent to the fake WeChat API."""
    desk = make_desk(db_url, fake_wechat)
    yield desk, fake_wechat
    desk.close()


def dispatch(desk: Desk, **kw) -> int:
    """Run the outbox dispatcher once at the desk's time (as the scheduler does)."""
    return dispatch_due(desk.services, now=desk.clock.now(), **kw)


def ticket(desk: Desk, number: int = 1) -> Ticket:
    with desk.session() as s:
        return s.get(Ticket, number)


def event_kinds(desk: Desk, number: int = 1) -> list[str]:
    with desk.session() as s:
        return list(s.scalars(select(TicketEvent.kind).where(TicketEvent.ticket_id == number)
                              .order_by(TicketEvent.id)))


def _head(open_id: str, created: int, kind: str) -> str:
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{open_id}]]>"
            f"</FromUserName><CreateTime>{created}</CreateTime><MsgType><![CDATA[{kind}]]></MsgType>")


def send_media(desk: Desk, kind: str, as_: str = RESIDENT, recognition: str = "") -> str | None:
    """Post an image, voice (with Recognition text) or location message; return the reply."""
    created, msg_id = int(desk.clock.now().timestamp()), next(_ids)
    body = {
        "image": "<PicUrl><![CDATA[http://127.0.0.1/pic.jpg]]></PicUrl><MediaId><![CDATA[m_img]]></MediaId>",
        "voice": "<MediaId><![CDATA[m_voice]]></MediaId><Format><![CDATA[amr]]></Format>"
                 f"<Recognition><![CDATA[{recognition}]]></Recognition>",
        "location": "<Location_X>34.7466</Location_X><Location_Y>113.6253</Location_Y><Scale>15</Scale>"
                    "<Label><![CDATA[锦绣城3号楼]]></Label>",
    }[kind]
    resp = desk.post(_head(as_, created, kind) + body + f"<MsgId>{msg_id}</MsgId></xml>")
    assert resp.status_code == 200, resp.data
    return desk.sim.read_reply(resp.data, desk.last_request)
