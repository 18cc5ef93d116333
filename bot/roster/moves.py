"""Duty changes during a shift (leave, swap, sick call, a roster edit): the work moves with the duty.

Each sweep compares today's pair with the pairs already seen today (SweepMark `pair:DAY:IDS`, the
first one written by the handover). A new pair moves the open tickets of whoever left to the pair
now on duty, tells the newcomer at once with a digest of everything open, and tells the others.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.db.models import Staff, SweepMark
from bot.roster.store import duty_day
from bot.tickets.notify import staff_message
from bot.sweeps.handover import _move, claim_mark, digest_parts, held_by_staff, open_tickets, pair_key, warn_unreachable

log = logging.getLogger("linli.duty_moves")


@dataclass
class DutyChange:
    """What one mid-shift duty change did."""

    day: date
    left: list[str]
    joined: list[str]
    moved: list[tuple[int, str, str]] = field(default_factory=list)


def last_pair(session: Session, day: date) -> list[int] | None:
    """Staff ids of the pair most recently seen on duty on `day` (None before the handover)."""
    key = session.scalar(select(SweepMark.key).where(SweepMark.key.like(f"pair:{day.isoformat()}:%"))
                         .order_by(SweepMark.done_at.desc(), SweepMark.key.desc()).limit(1))
    if key is None:
        return None
    ids = key.split(":")[2]  # pair:DAY:IDS[:PREVIOUS IDS]
    return [int(i) for i in ids.split("+") if i]


def duty_change_due(session: Session, services, now: datetime, by: str = "") -> DutyChange | None:
    """When today's pair differs from the last one seen today: move the work and tell everyone once."""
    day = duty_day(now, services.settings)
    before = last_pair(session, day)
    current = services.duty.on_duty(session, now)
    if before is None or not current or set(before) == {s.id for s in current}:
        return None
    ids = pair_key(day, current).split(":")[2] + ":" + "+".join(str(i) for i in sorted(before))
    if not claim_mark(session, f"pair:{day.isoformat()}:{ids}", now):
        return None
    left = [s for s in (session.get(Staff, i) for i in before) if s is not None and s.id not in {c.id for c in current}]
    joined = [s for s in current if s.id not in set(before)]
    change = DutyChange(day, [s.name for s in left], [s.name for s in joined])
    tag = f"duty:{day.isoformat()}:{ids}"
    for ticket in held_by_staff(session):
        if ticket.assignee_id in {s.id for s in left}:
            change.moved.append(_move(session, ticket, current, day, now, by, key=tag))
    _tell(session, services, change, left, joined, current, now, tag)
    warn_unreachable(session, services, joined, now, f"reach:{tag}")
    log.info("duty change on %s: %s left, %s joined, %d tickets moved", day, change.left, change.joined,
             len(change.moved))
    return change


def _tell(session: Session, services, change: DutyChange, left, joined, current, now: datetime, tag: str) -> None:
    """One message each: the newcomer gets the digest, the others what changed and what moved."""
    settings, tickets = services.settings, open_tickets(session)
    moved = (M.DUTY_MOVED.format(names=M.NAME_SEPARATOR.join(change.left), count=len(change.moved))
             if change.moved else "")
    names = M.NAME_SEPARATOR.join(change.left) or M.DUTY_LEFT_UNNAMED
    for person in joined:
        partner = M.NAME_SEPARATOR.join(s.name for s in current if s.id != person.id) or M.HANDOVER_NO_PARTNER
        head = M.DUTY_STAND_IN.format(name=person.name, names=names, partner=partner, moved=moved)
        for part, text in enumerate(digest_parts(person, current, tickets, change.day, now, head=head)):
            staff_message(session, settings, person, text, now, f"{tag}:{person.id}" + (f":{part}" if part else ""))
    for person in current:
        if person in joined:
            continue
        partners = M.NAME_SEPARATOR.join(change.joined) or M.HANDOVER_NO_PARTNER
        text = M.DUTY_NEW_PARTNER.format(name=person.name, partners=partners, moved=moved)
        staff_message(session, settings, person, text, now, f"{tag}:{person.id}")
    for person in left:
        count = sum(1 for _, before, _ in change.moved if before == person.name)
        text = M.DUTY_OFF.format(name=person.name, moved=M.DUTY_OFF_MOVED.format(count=count) if count else "")
        staff_message(session, settings, person, text, now, f"{tag}:{person.id}")
