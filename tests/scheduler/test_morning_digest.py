"""Quiet hours: staff notices held overnight arrive as one morning digest per person, queued like every
staff notice through tickets.notify (issue 11)."""
from __future__ import annotations

from datetime import timedelta

from bot.config import QuietHours
from bot.db.models import Ticket
from bot.sweeps.morning import morning_digest_due
from bot.tickets.notify import to_staff
from tests.scheduler.helpers import duty_pair, open_id_of, open_ticket, staff


def test_held_notices_become_one_digest_for_their_person(desk):
    desk.settings.escalation.quiet_hours = QuietHours(start="22:00", end="07:00", priorities=["low"])
    night = desk.clock.now() + timedelta(hours=13)  # 22:00 in Shanghai
    name = duty_pair(desk)[0]
    ids = [open_ticket(desk, subject=f"第{n}件不急的事", priority="low", assignee=name, at=night) for n in (1, 2)]
    with desk.session() as s:
        for tid in ids:
            to_staff(s, desk.settings, staff(s, name), f"【新工单#{tid}】\n居民问题：第{tid}件不急的事", night,
                     s.get(Ticket, tid))
    assert {r.status for r in desk.outbox()} == {"held"}
    with desk.session() as s:
        assert morning_digest_due(s, desk.services, night + timedelta(hours=8)) == {}  # still night
    with desk.session() as s:
        assert morning_digest_due(s, desk.services, night + timedelta(hours=9)) == {name: 2}
    digest = [r for r in desk.outbox() if r.status == "pending"]
    assert [(r.recipient, r.channel, r.dedupe_key) for r in digest] == [
        (open_id_of(desk, name), "staff", f"morning:{desk.outbox()[0].id}:0")]
    assert digest[0].payload["staff"] == name and digest[0].payload.get("held") is None
    assert all(f"#{tid}" in digest[0].text for tid in ids)
    assert {r.status for r in desk.outbox() if r.id != digest[0].id} == {"merged"}
