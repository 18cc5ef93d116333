"""The resident's contact card: 称呼, 楼栋/单元/房号 and phone, understood from free text and remembered.

Every personal field the desk keeps about a resident is a column of `Resident` listed in
PERSONAL_FIELDS: erasing a resident's information (删除我的信息) clears exactly these.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, fields, replace
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.conversation import put_state
from bot.db.models import Resident, TicketEvent
from bot.tickets.events import event

PERSONAL_FIELDS = ("name", "phone", "building", "unit", "room")
NEEDS_VISIT_OR_CALL = ("repair", "urgent", "aid")  # categories where staff must find or phone the resident

_PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
_BUILDING = re.compile(r"(\d{1,3})\s*(?:号楼|号楼的|栋|幢|号院|#楼)")
_UNIT = re.compile(r"(\d{1,2})\s*单元")
_ROOM = re.compile(r"(?:单元|号楼|栋|幢)\s*(\d{3,4})\s*(?:室|号|房)?|(?<!\d)(\d{3,4})\s*(?:室|房间|户)")
_DASHED = re.compile(r"(?<![\d-])(\d{1,3})-(\d{1,2})-(\d{3,4})(?![\d-])")  # 3-2-301
_NAME = re.compile(r"(?:我叫|我姓|我是|称呼我?|叫我|联系人)\s*[:：]?\s*([\u4e00-\u9fff]{1,3}(?:先生|女士|阿姨|大爷|奶奶|爷爷|老师)?)")
_NAME_STOP = re.compile(r"^(住|在|这|那|业主|居民|家|楼|一个|想|要)")


@dataclass(frozen=True)
class ContactCard:
    name: str = ""
    phone: str = ""
    building: str = ""
    unit: str = ""
    room: str = ""

    @property
    def empty(self) -> bool:
        return not any(getattr(self, f.name) for f in fields(self))

    @property
    def address(self) -> str:
        parts = ((self.building, "号楼"), (self.unit, "单元"), (self.room, "室"))
        return "".join(v + suffix for v, suffix in parts if v)

    def complete(self) -> bool:
        """Enough to visit and to call: a building and room (or unit), and a phone."""
        return bool(self.building and (self.room or self.unit) and self.phone)

    def describe(self, masked: bool = False) -> str:
        phone = mask_phone(self.phone) if masked else self.phone
        return "，".join(p for p in (self.name, self.address, f"电话{phone}" if phone else "") if p)


def mask_phone(phone: str) -> str:
    """139****5678: enough to recognise in a list, not enough to dial."""
    return phone[:3] + "****" + phone[-4:] if len(phone) >= 11 else (phone[:2] + "****" if phone else "")


def parse(text: str) -> ContactCard:
    """The contact details a free text carries ('我住3号楼2单元301 电话139…')."""
    t = re.sub(r"(?<=\d) (?=\d)", "", unicodedata.normalize("NFKC", text or ""))  # 139 1234 5678
    phone = _PHONE.search(t)
    rest = _PHONE.sub(" ", t)  # a phone number is not a room number
    card = ContactCard(phone=phone.group(1).replace("-", "") if phone and phone.group(1).startswith("1")
                       else (phone.group(1) if phone else ""))
    if m := _DASHED.search(rest):
        return replace(card, building=m.group(1), unit=m.group(2), room=m.group(3), name=_name(rest))
    b, u, r = _BUILDING.search(rest), _UNIT.search(rest), _ROOM.search(rest)
    return replace(card, building=b.group(1) if b else "", unit=u.group(1) if u else "",
                   room=(r.group(1) or r.group(2)) if r else "", name=_name(rest))


def _name(text: str) -> str:
    m = _NAME.search(text)
    if m is None or _NAME_STOP.match(m.group(1)):
        return ""
    return m.group(1)


def card_of(session: Session, open_id: str) -> ContactCard:
    r = session.scalar(select(Resident).where(Resident.open_id == open_id))
    if r is None:
        return ContactCard()
    return ContactCard(**{f: getattr(r, f) or "" for f in PERSONAL_FIELDS})


def remember(session: Session, open_id: str, found: ContactCard) -> ContactCard:
    """Store what `found` names (newer details win); returns the whole card."""
    r = session.scalar(select(Resident).where(Resident.open_id == open_id))
    if r is None or found.empty:
        return card_of(session, open_id) if r is not None else found
    for f in PERSONAL_FIELDS:
        if getattr(found, f):
            setattr(r, f, getattr(found, f))
    if found.building and not found.unit and not found.room:
        r.unit, r.room = "", ""  # a new building alone replaces the old address
    return card_of(session, open_id)


def learn(session: Session, open_id: str, text: str) -> ContactCard:
    """Remember any contact details in a resident's message; returns what it carried."""
    found = parse(text)
    if not found.empty:
        remember(session, open_id, found)
    return found


def only_contact(text: str) -> bool:
    """The message is just contact details (an answer to our question), nothing else to handle."""
    if parse(text).empty:
        return False
    t = re.sub(r"(?<=\d) (?=\d)", "", unicodedata.normalize("NFKC", text or ""))
    for rx in (_PHONE, _DASHED, _BUILDING, _UNIT, _ROOM, _NAME):
        t = rx.sub("", t)
    t = re.sub(r"[\W\d_]+|我住|住在|住|电话|手机|号码|是|在|家|联系|方式|我的|地址|称呼|叫|姓", "", t)
    return len(t) <= 2


def ask_once(session: Session, ticket, now) -> str:
    """The line asking where the resident is and how to call them, when this ticket needs it and the
    card lacks it; asked once per ticket ('' otherwise). For an urgent ticket: where exactly, at once."""
    card = card_of(session, ticket.resident_open_id)
    if ticket.category not in NEEDS_VISIT_OR_CALL and ticket.priority != "urgent":
        return ""
    if card.complete() or _asked_before(session, ticket):
        return ""
    event(session, ticket, "system", "contact_asked", now)
    put_state(session, ticket.resident_open_id, "contact", {"ticket_id": ticket.id}, now, timedelta(hours=24))
    return M.URGENT_WHERE if ticket.priority == "urgent" else M.CONTACT_ASK


def _asked_before(session: Session, ticket) -> bool:
    return session.scalar(select(TicketEvent.id).where(TicketEvent.ticket_id == ticket.id,
                                                       TicketEvent.kind == "contact_asked").limit(1)) is not None


def masked_cards(session: Session, open_ids) -> dict[str, str]:
    """For lists: each resident's card with the phone masked ('' when nothing is known)."""
    ids = sorted(set(open_ids))
    if not ids:
        return {}
    rows = session.scalars(select(Resident).where(Resident.open_id.in_(ids)))
    cards = {r.open_id: ContactCard(**{f: getattr(r, f) or "" for f in PERSONAL_FIELDS}) for r in rows}
    return {oid: cards[oid].describe(masked=True) for oid in ids if oid in cards}
