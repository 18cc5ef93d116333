"""Tickets (all staff): the queue with filters and the ticket page with reply, transfer and close."""
from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, abort, flash, g, redirect, render_template, request, send_from_directory, url_for
from sqlalchemy import select

from bot import tickets as T
from bot.tickets.notify import resident_label, resident_phone
from bot.db.models import InboundMessage, MediaItem, Staff, Ticket, TicketEvent
from bot import texts as M
from bot.tickets.contact import masked_cards
from bot.tickets.media import for_ticket, media_dir
from bot.web.auth import guard
from bot.web.helpers import db, now, services

REPLY_MAX = 1500


def overdue_after(priority: str) -> timedelta:
    """Waiting longer than the first escalation step of the priority counts as overdue."""
    steps = getattr(services().settings.escalation, priority, None) or []
    return timedelta(minutes=min((s.after_min for s in steps if s.after_min > 0), default=15))


def is_overdue(ticket: Ticket, at) -> bool:
    return bool(ticket.status == "open" and ticket.waiting_since
                and at - ticket.waiting_since > overdue_after(ticket.priority))


def queue_rows(session, me_id: int, args) -> list[Ticket]:
    """Tickets for the queue page, filtered by the query arguments."""
    scope = args.get("status", "active")
    q = select(Ticket).order_by(Ticket.id.desc()).limit(300)
    if scope == "active":
        q = q.where(Ticket.status.in_(T.ACTIVE))
    elif scope == "closed":
        q = q.where(Ticket.status.in_(("closed", "cancelled")))
    if args.get("category"):
        q = q.where(Ticket.category == args["category"])
    which = args.get("filter", "")
    if which == "mine":
        q = q.where(Ticket.assignee_id == me_id)
    elif which == "on_duty":
        ids = [s.id for s in services().duty.on_duty(session, now())]
        q = q.where(Ticket.assignee_id.in_(ids or [-1]))
    elif which == "urgent":
        q = q.where(Ticket.priority == "urgent")
    rows = list(session.scalars(q).unique())
    if which == "overdue":
        rows = [t for t in rows if is_overdue(t, now())]
    return rows


def resident_messages(session, ticket: Ticket) -> list[InboundMessage]:
    """What the resident wrote for this ticket: exactly the messages the bot filed under it (issue 13)."""
    q = (select(InboundMessage).where(
        InboundMessage.open_id == ticket.resident_open_id, InboundMessage.kind != "event",
        InboundMessage.ticket_id == ticket.id)
        .order_by(InboundMessage.id).limit(200))
    return list(session.scalars(q))


def _me(session) -> Staff:
    return session.get(Staff, g.user.id)


def _act(ticket_id: int, action) -> None:
    """Run one ticket action in a transaction; a closed ticket becomes a message."""
    with db() as s:
        ticket = T.get(s, ticket_id, for_update=True) or abort(404)
        try:
            done = action(s, ticket, _me(s))
        except T.TicketClosed:
            flash(M.WEB_TICKET_FINISHED.format(id=ticket_id), "error")
            return
        if isinstance(done, tuple):
            flash(*done)
        elif done:
            flash(done, "success")


CLOSE_REASON_MAX = 300


def close_ticket(session, ticket: Ticket, me: Staff, reason: str):
    """Close from the console: a ticket nobody answered needs a reason, which the resident is told."""
    if not ticket.last_answer and not reason:
        return (M.WEB_CLOSE_NEEDS_REASON, "error")
    T.close(session, ticket, me.name, now(), reason=reason)
    return M.WEB_CLOSED + (M.WEB_CLOSED_WITH_REASON if reason else M.WEB_CLOSED_END)


def reopen_ticket(session, ticket: Ticket, me: Staff) -> tuple[str, str]:
    """Undo a close: the ticket is open again and its response clock restarts."""
    if ticket.status != "closed":
        return (M.WEB_NOT_CLOSED.format(id=ticket.id), "error")
    T.event(session, ticket, me.name, "reopened", now(), why="staff_reopened")
    ticket.closed_at = None
    T.restart_clock(ticket, now())
    return (M.WEB_REOPENED.format(id=ticket.id), "success")


def make_blueprint(_services) -> Blueprint:
    bp = Blueprint("tickets", __name__, url_prefix="/admin/tickets")
    bp.before_request(guard())

    @bp.get("/")
    def queue():
        with db() as s:
            rows = queue_rows(s, g.user.id, request.args)
            at = now()
            cards = masked_cards(s, [t.resident_open_id for t in rows])  # phones masked in the list
            return render_template("admin/tickets.html", rows=rows, at=at, filters=M.TICKET_FILTERS,
                                   scopes=M.TICKET_SCOPES, cards=cards,
                                   overdue={t.id for t in rows if is_overdue(t, at)}, args=request.args)

    @bp.get("/<int:ticket_id>")
    def show(ticket_id: int):
        with db() as s:
            ticket = T.get(s, ticket_id) or abort(404)
            events = list(s.scalars(select(TicketEvent).where(TicketEvent.ticket_id == ticket_id).order_by(TicketEvent.id)))
            staff = list(s.scalars(select(Staff).where(Staff.active.is_(True)).order_by(Staff.rotation_order, Staff.id)))
            media = {m.msg_key: m for m in for_ticket(s, ticket_id)}
            return render_template("admin/ticket.html", t=ticket, events=events, staff=staff,
                                   messages=resident_messages(s, ticket), overdue=is_overdue(ticket, now()),
                                   reply_max=REPLY_MAX, resident=resident_label(s, ticket.resident_open_id),
                                   media=media, MEDIA_LABELS=M.MEDIA_LABELS)

    @bp.get("/media/<int:item_id>")
    def media_file(item_id: int):
        """A photo, voice message or video a resident sent (logged-in staff only)."""
        with db() as s:
            item = s.get(MediaItem, item_id) or abort(404)
            path, kind, status = item.path, item.content_type, item.status
        if status != "stored" or not path:
            return M.MEDIA_NOT_READY.get(status, M.MEDIA_NOT_READY["pending"]), 404, {"Content-Type": "text/plain; charset=utf-8"}
        return send_from_directory(media_dir(services()), path, mimetype=kind or "application/octet-stream")

    @bp.post("/<int:ticket_id>/answer")
    def answer(ticket_id: int):
        text = request.form.get("text", "").strip()
        if not text or len(text) > REPLY_MAX:
            flash(M.WEB_ANSWER_LENGTH.format(max=REPLY_MAX), "error")
        else:
            _act(ticket_id, lambda s, t, me: M.WEB_ANSWER_SENT if T.answer(s, t, me, text, now())
                 else (M.ANSWER_DEFERRED.format(id=t.id, phone=resident_phone(s, t.resident_open_id)), "error"))
        return redirect(url_for(".show", ticket_id=ticket_id))

    @bp.post("/<int:ticket_id>/take")
    def take(ticket_id: int):
        _act(ticket_id, lambda s, t, me: T.take(s, t, me, now()) or M.WEB_TAKEN)
        return redirect(url_for(".show", ticket_id=ticket_id))

    @bp.post("/<int:ticket_id>/transfer")
    def transfer(ticket_id: int):
        def run(s, t, me):
            to = s.get(Staff, request.form.get("to", type=int) or 0)
            if to is None or not to.active:
                return (M.WEB_PICK_COLLEAGUE, "error")
            T.transfer(s, services(), t, me, to, now())
            return M.WEB_TRANSFERRED.format(name=to.name)
        _act(ticket_id, run)
        return redirect(url_for(".show", ticket_id=ticket_id))

    @bp.post("/<int:ticket_id>/close")
    def close(ticket_id: int):
        reason = " ".join(request.form.get("reason", "").split())[:CLOSE_REASON_MAX]
        _act(ticket_id, lambda s, t, me: close_ticket(s, t, me, reason))
        return redirect(url_for(".show", ticket_id=ticket_id))

    @bp.post("/<int:ticket_id>/reopen")
    def reopen(ticket_id: int):
        with db() as s:
            ticket = T.get(s, ticket_id, for_update=True) or abort(404)
            flash(*reopen_ticket(s, ticket, _me(s)))
        return redirect(url_for(".show", ticket_id=ticket_id))

    @bp.post("/<int:ticket_id>/propose")
    def propose(ticket_id: int):
        _act(ticket_id, lambda s, t, me: M.WEB_PROPOSED if T.propose_faq(s, t, me, now())
             else (M.WEB_PROPOSE_NEEDS_ANSWER, "error"))
        return redirect(url_for(".show", ticket_id=ticket_id))

    return bp
