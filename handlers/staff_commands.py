"""Commands from registered staff in WeChat: #12 答复, #12 关闭, #12 转 张三, 接单 12, 待办, 值班, #12 入库."""
from __future__ import annotations

from bot.domain import Inbound, Reply
from bot.pipeline import Context
from bot import tickets
from bot import texts as M
from bot.tickets import views
from bot.tickets.commands import Command, parse
from bot.tickets.notify import resident_phone


class StaffCommands:
    name = "staff"

    def check(self, msg: Inbound, ctx: Context):
        """Registered staff only; a resident typing '#12 …' is just a resident."""
        if ctx.duplicate:
            return None
        return ctx.staff

    def handle(self, msg: Inbound, ctx: Context, staff) -> Reply:
        cmd = parse(msg.text) if msg.kind == "text" else Command("help")
        ctx.decision = f"staff:{cmd.verb}"
        if cmd.verb == "help":
            return Reply(_help(cmd))
        if cmd.verb == "todo":
            return Reply(views.todo(ctx.session, staff, ctx.now()))
        if cmd.verb == "duty":
            return Reply(views.duty_today(ctx.session, ctx.services, ctx.now()))
        ticket = tickets.get(ctx.session, cmd.ticket_id, for_update=True)
        if ticket is None:
            return Reply(M.STAFF_TICKET_NOT_FOUND.format(id=cmd.ticket_id))
        ctx.ticket_id = ticket.id
        try:
            return Reply(_act(ctx, staff, ticket, cmd))
        except tickets.TicketClosed as exc:
            return Reply(M.STAFF_TICKET_FINISHED.format(id=ticket.id, status=M.STATUS_NAMES.get(str(exc), exc)))


def _act(ctx: Context, staff, ticket, cmd: Command) -> str:
    now, session = ctx.now(), ctx.session
    if cmd.verb == "detail":
        return views.staff_detail(session, ticket, ctx.settings.desk.timezone)
    if cmd.verb == "answer":
        return _answer(ctx, staff, ticket, cmd)
    if cmd.verb == "close":
        if not ticket.last_answer and not cmd.arg:
            return M.CLOSE_NEEDS_REASON.format(id=ticket.id)
        tickets.close(session, ticket, staff.name, now, reason=cmd.arg if not ticket.last_answer else "")
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


def _help(cmd: Command) -> str:
    """The help line, with why nothing reached the resident when the message named a ticket."""
    if cmd.ticket_id is None:
        return M.STAFF_HELP
    why = M.WHY_EMPTY_ANSWER if cmd.mode == "empty" else M.WHY_UNKNOWN_COMMAND.format(arg=cmd.arg)
    return M.NOT_SENT_TO_RESIDENT.format(why=why, id=cmd.ticket_id) + "\n" + M.STAFF_HELP


def _answer(ctx: Context, staff, ticket, cmd: Command) -> str:
    """Relay it; tell the staff member the truth about delivery and whether a rating was asked."""
    delivered = tickets.answer(ctx.session, ticket, staff, cmd.arg, ctx.now(), mode=cmd.mode)
    if not delivered:
        return M.ANSWER_DEFERRED.format(id=ticket.id, phone=resident_phone(ctx.session, ticket.resident_open_id))
    if ticket.status != "answered":
        return M.QUESTION_SENT.format(id=ticket.id)
    return M.ANSWER_SENT.format(id=ticket.id)


def _transfer(ctx: Context, staff, ticket, cmd: Command) -> str:
    target = ctx.services.staff_directory.by_name(ctx.session, cmd.arg)
    if target is None:
        return (M.NOT_SENT_TO_RESIDENT.format(why=M.WHY_UNKNOWN_COLLEAGUE.format(name=cmd.arg, id=ticket.id),
                                              id=ticket.id) + "\n" + M.STAFF_HELP)
    if ticket.assignee_id == target.id:
        return M.STAFF_SAME.format(id=ticket.id, name=target.name)
    tickets.transfer(ctx.session, ctx.services, ticket, staff, target, ctx.now())
    return M.TRANSFERRED.format(id=ticket.id, to=target.name)
