"""Helpers for incident tests: a desk, the dispatcher at the desk's time, and a readable transcript."""
from __future__ import annotations

from sqlalchemy import select

from bot.db.models import Incident, Outbox, Ticket
from bot.outbox.dispatcher import dispatch_due
from tests.support.harness import Desk, test_settings

WANGFANG, LINA, ZHANGWEI = "o_demo_staff_wangfang", "o_demo_staff_lina", "o_demo_staff_zhangwei"
STAFF = (WANGFANG, LINA, ZHANGWEI)
ON_DUTY = ["王芳", "李娜"]
NAMES = {WANGFANG: "王芳（值班）", LINA: "李娜（值班）", ZHANGWEI: "张伟（负责人）"}


class _HandOffLive:
    """An FAQ that answers nothing: these tests are about incidents, and the FAQ evolves on its own."""

    entries: dict = {}
    version = 0

    def match(self, text: str):
        from knowledge_base.matcher import MatchResult

        return MatchResult("handoff", (), text)


class HandOffMatchers:
    def current(self, session=None):
        return _HandOffLive()


def make_incident_desk(db_url, fake=None, **overrides) -> Desk:
    """Duty pair 王芳 + 李娜; the FAQ hands everything on; outbox to the fake API when given."""
    values = {"desk.on_duty": list(ON_DUTY)}
    if fake is not None:
        values.update({"outbox.transport": "wechat", "wechat.api_base_url": fake.base_url})
    values.update(overrides)
    desk = Desk(test_settings(db_url, **values))
    desk.services.matchers = HandOffMatchers()
    return desk


def dispatch_all(desk: Desk, rounds: int = 100, ahead_s: float = 60, services=None) -> int:
    """Run the dispatcher until nothing is due `ahead_s` after the desk's time (broadcasts are paced)."""
    from datetime import timedelta

    total, at = 0, desk.clock.now() + timedelta(seconds=ahead_s)
    for _ in range(rounds):
        sent = dispatch_due(services or desk.services, now=at, limit=500)
        total += sent
        if not sent:
            break
    return total


def staff_rows(desk: Desk) -> list[Outbox]:
    with desk.session() as s:
        return list(s.scalars(select(Outbox).where(Outbox.recipient.in_(STAFF)).order_by(Outbox.id)))


def resident_rows(desk: Desk, open_id: str | None = None) -> list[Outbox]:
    with desk.session() as s:
        q = select(Outbox).where(Outbox.recipient.not_in(STAFF)).order_by(Outbox.id)
        if open_id:
            q = q.where(Outbox.recipient == open_id)
        return list(s.scalars(q))


def incident(desk: Desk, number: int = 1) -> Incident:
    with desk.session() as s:
        return s.get(Incident, number)


def ticket(desk: Desk, number: int) -> Ticket:
    with desk.session() as s:
        return s.get(Ticket, number)


class Transcript:
    """Talks to the desk and keeps a readable log of residents, staff and the bot."""

    def __init__(self, desk: Desk, fake=None):
        self.desk, self.fake, self.lines, self._seen = desk, fake, [], 0

    def who(self, open_id: str) -> str:
        return NAMES.get(open_id, "居民" + open_id.rsplit("_", 1)[-1])

    def send(self, open_id: str, text: str) -> str | None:
        self.lines.append(f"[{self._local()}] {self.who(open_id)}：{text}")
        reply = self.desk.send(text, as_=open_id)
        self.lines.append(f"[{self._local()}]   ↳ 机器人回复{self.who(open_id)}：{reply}")
        return reply

    def dispatch(self) -> int:
        sent = dispatch_all(self.desk)
        if self.fake is not None:
            calls = [c for c in self.fake.calls("message/custom/send") if c.ok]
            for c in calls[self._seen:]:
                self.lines.append(f"[{self._local()}]   ⇒ 推送给{self.who(c.body['touser'])}：{c.body['text']['content']}")
            self._seen = len(calls)
        return sent

    def note(self, text: str) -> None:
        self.lines.append(f"—— {text}")

    def _local(self) -> str:
        from zoneinfo import ZoneInfo

        return self.desk.clock.now().astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")

    def text(self) -> str:
        return "\n".join(self.lines)
