"""A staff edit that changes the rotation goes through a preview with an effective date (issue 16)."""
from __future__ import annotations

from datetime import date

from flask import render_template, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from bot import texts as M
from bot.roster import plans as roster_plans
from bot import tickets as T
from bot.db.models import Staff, Ticket
from bot.roster.changes import day_zh
from bot.roster.eras import era_on
from bot.web.helpers import now, parse_day, services

# Form fields carried through the preview page unchanged.
CARRIED = ("name", "role", "phone", "password", "active", "eligible", "no_holiday_duty")


def wanted(form) -> tuple[bool, bool]:
    """(in the rotation, no-holiday flag) that the submitted form asks for."""
    return "active" in form and "eligible" in form, "no_holiday_duty" in form


def rota_edit(session: Session, name: str, form, is_new: bool) -> roster_plans.StaffEdit | None:
    """The rotation change the form makes for NAME from the chosen date, or None when it makes none."""
    settings = services().settings
    in_rota, no_holiday = wanted(form)
    era = era_on(roster_plans.current_eras(session, settings), start_day(form))
    current = {m.name: m for m in era.members if m.can_take_duty} if era else {}
    now_in = name in current
    if now_in == in_rota and (not in_rota or current[name].no_holiday_duty == no_holiday):
        return None
    return reason_for(name, form, is_new, roster_plans.StaffEdit(name, in_rota, no_holiday))


def start_day(form) -> date:
    """The effective date from the form (default: tomorrow's duty day)."""
    first = roster_plans.earliest_start(services().settings, now())
    return parse_day(form.get("effective_from"), first)


def reason_for(name: str, form, is_new: bool, edit: roster_plans.StaffEdit) -> roster_plans.StaffEdit:
    """The edit with its reason in words: '新增郑洁', '停用杨磊', '周婷改为节假日不排班' …"""
    in_rota, no_holiday = wanted(form)
    if is_new:
        why = M.ROTA_WHY_NEW.format(name=name)
    elif "active" not in form:
        why = M.ROTA_WHY_INACTIVE.format(name=name)
    elif not in_rota:
        why = M.ROTA_WHY_OUT.format(name=name)
    else:
        why = (M.ROTA_WHY_NO_HOLIDAY if no_holiday else M.ROTA_WHY_HOLIDAY).format(name=name)
    return roster_plans.StaffEdit(edit.name, edit.in_rota, edit.no_holiday_duty, why)


def confirmed(form) -> bool:
    return form.get("confirm") == "1"


def open_tickets(session: Session, name: str) -> list[Ticket]:
    """The person's unfinished tickets (offered for reassignment when they are deactivated)."""
    q = (select(Ticket).join(Staff, Ticket.assignee_id == Staff.id)
         .where(Staff.name == name, Ticket.status.in_(T.ACTIVE)).order_by(Ticket.id))
    return list(session.scalars(q))


def successors(session: Session, name: str) -> list[Staff]:
    """Who can take over: active staff other than NAME, on-duty people first."""
    on_duty = {p.id for p in services().duty.on_duty(session, now())}
    rows = session.scalars(select(Staff).where(Staff.active.is_(True), Staff.name != name, Staff.role != "admin"))
    return sorted(rows, key=lambda p: (p.id not in on_duty, p.rotation_order, p.id))


def hand_over(session: Session, me: Staff, form) -> int:
    """Transfer each ticket named in the confirmed form (handover_<id> = staff id); how many moved."""
    moved = 0
    for key, value in form.items():
        if not key.startswith("handover_") or not value.isdigit():
            continue
        ticket = T.get(session, int(key.removeprefix("handover_")), for_update=True)
        to = session.get(Staff, int(value))
        if ticket is not None and ticket.status in T.ACTIVE and to is not None and to.active:
            T.transfer(session, services(), ticket, me, to, now())
            moved += 1
    return moved


def preview_page(session: Session, edit: roster_plans.StaffEdit | None, action: str, name: str | None = None):
    """The preview: the days that change, who gains or loses duties, warnings, open tickets to hand
    over (when the person is deactivated), and a confirm button."""
    settings = services().settings
    start = start_day(request.form)
    pv = roster_plans.preview(session, settings, edit, start, now()) if edit else None
    first = roster_plans.earliest_start(settings, now())
    carried = {k: request.form.get(k) for k in CARRIED if k in request.form}
    name = name or (edit.name if edit else "")
    leaving = "active" not in request.form
    tickets = open_tickets(session, name) if leaving else []
    return render_template("admin/staff_change.html", pv=pv, action=action, carried=carried, first=first,
                           day_zh=day_zh, notices=len(pv.affected) if pv else 0, name=name, tickets=tickets,
                           successors=successors(session, name) if tickets else [], start=start)
