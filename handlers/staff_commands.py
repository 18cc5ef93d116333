"""Commands from registered staff in WeChat: #12 答复, #12 关闭, #12 转 张三, 接单 12, 待办, 值班, #12 入库."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import tickets
from bot.tickets import messages as M
from bot.tickets import views
from bot.tickets.notify import resident_phone

_HASH = re.compile(r"^[#＃]\s*([0-9０-９]+)\s*(.*)$", re.S)  # on the raw text: answers keep their punctuation
_TAKE = re.compile(r"^接单\s*#?\s*(\d+)$")
_TRANSFER = re.compile(r"^转(给|\s)\s*(\S{1,16})$")
_TRANSFER_LOOSE = re.compile(r"^转(\S{2,4})$")  # "转张三": a transfer only if such a colleague exists
_CLOSE = {"关闭", "结单", "关单", "办结", "完结"}


@dataclass(frozen=True)
class Command:
    verb: str  # answer | close | transfer | take | faq | detail | todo | duty | help
    ticket_id: int | None = None
    arg: str = ""
    text: str = ""  # for a loose transfer: the answer it is if no colleague has that name


def parse(text: str) -> Command:
    """Parse a staff message; full-width ＃ and digits are accepted. Unknown text -> help."""
    t = unicodedata.normalize("NFKC", text or "").strip()
    if t in ("待办", "我的待办"):
        return Command("todo")
    if t in ("值班", "今天值班", "谁值班"):
        return Command("duty")
    if m := _TAKE.match(t):
        return Command("take", int(m.group(1)))
    m = _HASH.match((text or "").strip())
    if not m:
        return Command("help")
    tid, rest = int(unicodedata.normalize("NFKC", m.group(1))), m.group(2).strip()
    if not rest:
        return Command("detail", tid)
    if rest in _CLOSE:
        return Command("close", tid)
    if rest == "入库":
        return Command("faq", tid)
    if rest == "接单":
        return Command("take", tid)
    if tm := _TRANSFER.match(rest):
        return Command("transfer", tid, tm.group(2))
    if tm := _TRANSFER_LOOSE.match(rest):
        return Command("transfer", tid, tm.group(1), text=rest)
    return Command("answer", tid, rest)


_UNKNOWN = object()


def staff_member(msg: Inbound, ctx: Context):
    """The registered staff member who sent msg, or None (looked up once per message)."""
    found = ctx.notes.get("_staff", _UNKNOWN)
    if found is _UNKNOWN:
        found = ctx.services.staff_directory.by_open_id(ctx.session, msg.open_id)
        ctx.notes["_staff"] = found
    return found


class StaffCommands:
    name = "staff"

    def check(self, msg: Inbound, ctx: Context):
        """Registered staff only; a resident typing '#12 …' is just a resident."""
        if ctx.duplicate:
            return None
        return staff_member(msg, ctx)

    def handle(self, msg: Inbound, ctx: Context, staff) -> Reply:
        cmd = parse(msg.text) if msg.kind == "text" else Command("help")
        ctx.notes["decision"] = f"staff:{cmd.verb}"
        if cmd.verb == "help":
            return Reply(M.STAFF_HELP)
        if cmd.verb == "todo":
            return Reply(views.todo(ctx.session, staff, ctx.now()))
        if cmd.verb == "duty":
            return Reply(views.duty_today(ctx.session, ctx.services, ctx.now()))
        ticket = tickets.get(ctx.session, cmd.ticket_id, for_update=True)
        if ticket is None:
            return Reply(M.STAFF_TICKET_NOT_FOUND.format(id=cmd.ticket_id))
        ctx.notes["ticket_id"] = ticket.id
        try:
            return Reply(_act(ctx, staff, ticket, cmd))
        except tickets.TicketClosed as exc:
            return Reply(M.STAFF_TICKET_FINISHED.format(id=ticket.id, status=M.STATUS_NAMES.get(str(exc), exc)))


def _act(ctx: Context, staff, ticket, cmd: Command) -> str:
    now, session = ctx.now(), ctx.session
    if cmd.verb == "detail":
        return views.staff_detail(session, ticket)
    if cmd.verb == "answer":
        tickets.answer(session, ticket, staff, cmd.arg, now)
        if ticket.unreachable:
            phone = resident_phone(session, ticket.resident_open_id)
            return M.ANSWER_SENT_UNREACHABLE.format(id=ticket.id, phone=phone)
        return M.ANSWER_SENT.format(id=ticket.id)
    if cmd.verb == "close":
        tickets.close(session, ticket, staff.name, now)
        return M.CLOSED.format(id=ticket.id)
    if cmd.verb == "take":
        tickets.take(session, ticket, staff, now)
        return M.TAKEN.format(id=ticket.id)
    if cmd.verb == "transfer":
        return _transfer(ctx, staff, ticket, cmd)
    draft = tickets.propose_faq(session, ticket, staff, now)
    if draft is None:
        return M.FAQ_NEEDS_ANSWER.format(id=ticket.id)
    return M.FAQ_PROPOSED.format(id=ticket.id, draft=draft.id)


def _transfer(ctx: Context, staff, ticket, cmd: Command) -> str:
    target = ctx.services.staff_directory.by_name(ctx.session, cmd.arg)
    if target is None and cmd.text:
        return _act(ctx, staff, ticket, Command("answer", ticket.id, cmd.text))
    if target is None:
        return M.STAFF_UNKNOWN.format(name=cmd.arg)
    if ticket.assignee_id == target.id:
        return M.STAFF_SAME.format(id=ticket.id, name=target.name)
    tickets.transfer(ctx.session, ctx.services, ticket, staff, target, ctx.now())
    return M.TRANSFERRED.format(id=ticket.id, to=target.name)
