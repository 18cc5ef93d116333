"""The resident's contact card: 我的信息, 修改电话/地址/称呼 …, and the answer to our 'where are you' question."""
from __future__ import annotations

import re
import unicodedata

from bot import conversation, tickets
from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot.tickets import contact
from bot import texts as M
from bot.tickets.core import notify_assignee_or_duty
from bot.tickets.notify import to_many

_MINE = re.compile(r"^(我的信息|我的资料|查看我的信息|我的联系方式)$")
_EDIT = re.compile(r"^(修改|更改|更新)\s*(电话|手机|手机号|地址|住址|称呼|名字|姓名)\s*[:：为是]?\s*(.*)$")


class ContactCard:
    name = "contact"

    def check(self, msg: Inbound, ctx: Context):
        if msg.kind != "text" or not msg.has_text or ctx.staff:
            return None
        t = unicodedata.normalize("NFKC", msg.text).strip().rstrip("。.!！")
        if _MINE.match(t):
            return ("show", None)
        if m := _EDIT.match(t):
            return ("edit", (m.group(2), m.group(3)))
        if contact.only_contact(t):
            state = conversation.live_state(ctx.session, msg.open_id, "contact", ctx.now())
            if state is not None or tickets.active_for_resident(ctx.session, msg.open_id) is None:
                return ("answer", state)
        return None

    def handle(self, msg: Inbound, ctx: Context, match) -> Reply:
        verb, arg = match
        ctx.decision = f"contact:{verb}"
        if verb == "show":
            return Reply(_show(contact.card_of(ctx.session, msg.open_id)))
        if verb == "edit":
            return _edit(ctx, msg, *arg)
        return _answer(ctx, msg, arg)


def _show(card: contact.ContactCard) -> str:
    none = M.MY_INFO_NONE
    return M.MY_INFO.format(name=card.name or none, address=card.address or none, phone=card.phone or none)


def _edit(ctx: Context, msg: Inbound, field: str, value: str) -> Reply:
    """修改电话 139…: only what the command names changes; anything unreadable changes nothing."""
    found = contact.parse(value)
    if field in ("称呼", "名字", "姓名"):
        name = value.strip()
        found = contact.ContactCard(name=name) if 1 <= len(name) <= 8 and not re.search(r"\d", name) else contact.ContactCard()
    elif field in ("电话", "手机", "手机号"):
        found = contact.ContactCard(phone=found.phone)
    else:
        found = contact.ContactCard(building=found.building, unit=found.unit, room=found.room)
    if found.empty:
        return Reply(M.INFO_NOT_UNDERSTOOD)
    card = contact.remember(ctx.session, msg.open_id, found)
    return Reply(M.INFO_UPDATED.format(card=card.describe()))


def _answer(ctx: Context, msg: Inbound, state) -> Reply:
    """Contact details on their own: remembered, and passed to the ticket that asked for them."""
    card = contact.remember(ctx.session, msg.open_id, contact.parse(msg.text))
    ticket = tickets.get(ctx.session, state.data.get("ticket_id")) if state is not None else None
    if state is not None:
        conversation.drop_state(ctx.session, msg.open_id, "contact")
    if ticket is None or ticket.status not in tickets.ACTIVE:
        return Reply(M.CONTACT_SAVED_PLAIN.format(card=card.describe()))
    ctx.ticket_id = ticket.id
    tickets.event(ctx.session, ticket, "resident", "contact", ctx.now(), text=msg.text)
    text = M.CONTACT_TO_STAFF.format(id=ticket.id, card=card.describe())
    if ticket.priority == "urgent":  # everyone alerted for the emergency needs to know where it is
        people = [*ctx.services.duty.on_duty(ctx.session, ctx.now()), *ctx.services.duty.leads(ctx.session)]
        to_many(ctx.session, ctx.settings, people, text, ctx.now(), ticket)
    else:
        notify_assignee_or_duty(ctx.session, ctx.services, ticket, text, ctx.now())
    return Reply(M.CONTACT_SAVED.format(card=card.describe(), id=ticket.id,
                                        assignee=ticket.assignee.name if ticket.assignee else M.NOBODY))
