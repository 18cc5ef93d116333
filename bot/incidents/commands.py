"""Staff commands about incidents, from WeChat: 通报 …, 通报 #I3 …, 确认 #I3, #I3 忽略, 通报列表."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.incidents import actions as A
from bot.incidents import store
from bot.incidents import texts as T
from bot.incidents.planned import create_planned, parse_window
from bot.incidents.service import IncidentFinished, Outcome

_REF = r"#?\s*[iI]\s*(\d+)"
# Matched on the raw text so the body keeps the staff member's own punctuation (，not ,).
_ANNOUNCE = re.compile(r"^\s*通报\s*[:：]?\s*(.*)$", re.S)
_UPDATE = re.compile(r"^[#＃]?\s*[iIｉＩ]\s*([0-9０-９]+)\s*[:：,，]?\s*(.*)$", re.S)
_UNLINK = re.compile(r"^(?:移除|取消关联|解除关联|移出)\s*#?\s*(\d+)$")
_CONFIRM = re.compile(r"^(?:确认\s*" + _REF + r"|" + _REF + r"\s*确认)$")
_DISMISS = re.compile(r"^(?:(?:忽略|不是)\s*" + _REF + r"|" + _REF + r"\s*(?:忽略|不是|不是同一件事))$")
_PLANNED = re.compile(r"^\s*(?:预告|计划通知|计划通报)\s*[:：]?\s*(.*)$", re.S)
_LIST = {"通报列表", "通报", "事件", "事件列表", "通报 列表"}


@dataclass(frozen=True)
class Command:
    verb: str  # announce | planned | update | unlink | confirm | dismiss | list | help
    incident_id: int | None = None
    text: str = ""
    ticket_id: int | None = None


def parse(raw: str) -> Command | None:
    """An incident command, or None when the text is not about incidents."""
    t = unicodedata.normalize("NFKC", raw or "").strip()
    if t in _LIST:
        return Command("list")
    if m := _CONFIRM.match(t):
        return Command("confirm", int(m.group(1) or m.group(2)))
    if m := _DISMISS.match(t):
        return Command("dismiss", int(m.group(1) or m.group(2)))
    if p := _PLANNED.match(raw or ""):
        return Command("planned", text=p.group(1).strip())
    m = _ANNOUNCE.match(raw or "")
    if not m:
        return None
    rest = m.group(1).strip()
    if rest in ("帮助", "用法", "?", "？"):
        return Command("help")
    if not (u := _UPDATE.match(rest)):
        return Command("announce", text=rest) if rest else Command("help")
    incident_id, body = int(unicodedata.normalize("NFKC", u.group(1))), u.group(2).strip()
    if um := _UNLINK.match(unicodedata.normalize("NFKC", body)):
        return Command("unlink", incident_id, ticket_id=int(um.group(1)))
    return Command("update", incident_id, body)


def run(session: Session, services, staff, cmd: Command, now) -> str:
    """Carry out a command for a staff member; returns the reply text."""
    if cmd.verb == "help":
        return T.HELP
    if cmd.verb == "list":
        return listing(session, services.settings, now)
    if cmd.verb == "announce":
        return _ack(session, A.announce(session, services, staff.name, cmd.text, now), "opened")
    if cmd.verb == "planned":
        return _planned(session, services.settings, staff, cmd.text, now)
    incident = store.get(session, cmd.incident_id, for_update=True)
    if incident is None:
        return T.NOT_FOUND.format(id=cmd.incident_id)
    try:
        return _act(session, services, staff, incident, cmd, now)
    except IncidentFinished as exc:
        status = T.STATUS_NAMES.get(str(exc), str(exc))
        if cmd.verb in ("confirm", "dismiss"):
            return T.NOT_PROPOSED.format(id=incident.id, status=status)
        return T.FINISHED.format(id=incident.id, status=status)


def _act(session: Session, services, staff, incident, cmd: Command, now) -> str:
    if cmd.verb == "confirm":
        return _ack(session, A.confirm(session, services, incident, staff.name, None, now), "opened")
    if cmd.verb == "dismiss":
        opened = A.dismiss(session, services, incident, staff.name, now)
        items = "（" + "、".join(f"#{t}" for t in opened) + "）" if opened else ""
        return T.DISMISSED_ACK.format(id=incident.id, k=len(opened), items=items)
    if cmd.verb == "unlink":
        ticket = A.unlink(session, services, incident, cmd.ticket_id, staff.name, now)
        if ticket is None:
            return T.UNLINK_NOT_FOUND.format(id=incident.id, ticket=cmd.ticket_id)
        name = ticket.assignee.name if ticket.assignee else "未分配"
        return T.UNLINKED_ACK.format(id=incident.id, ticket=ticket.id, assignee=name)
    if not cmd.text:
        return T.EMPTY_TEXT
    was = incident.status
    outcome = A.update(session, services, incident, staff.name, cmd.text, now)
    return _ack(session, outcome, "opened" if was == "proposed" else outcome.incident.status)


def _planned(session: Session, settings, staff, text: str, now) -> str:
    window = parse_window(text, now, settings.desk.timezone)
    if window is None or not window[2]:
        return T.PLANNED_HELP
    start, end, rest = window
    incident = create_planned(session, settings, staff.name, rest, now, starts_at=start, ends_at=end)
    return T.PLANNED_ACK.format(id=incident.id, title=incident.title, place=store.place_of(incident).label(),
                                start=store.local(start, settings), end=store.local(end, settings))


def _ack(session: Session, outcome: Outcome, kind: str) -> str:
    incident, b = outcome.incident, outcome.broadcast
    unreachable = T.UNREACHABLE.format(u=len(b.unreachable)) if b.unreachable else ""
    if kind == "opened":
        return T.OPENED_ACK.format(id=incident.id, title=incident.title, place=store.place_of(incident).label(),
                                   topic=store.topic_name(incident), linked=_linked(session, incident),
                                   n=b.queued, unreachable=unreachable)
    if kind == "recovered":
        return T.RECOVERED_ACK.format(id=incident.id, n=b.queued, k=outcome.tickets_closed, unreachable=unreachable)
    if kind == "closed":
        return T.CLOSED_ACK.format(id=incident.id, n=b.queued, k=outcome.tickets_closed, unreachable=unreachable)
    return T.UPDATE_ACK.format(id=incident.id, status=T.STATUS_NAMES.get(incident.status, incident.status),
                               n=b.queued, unreachable=unreachable)


def _linked(session: Session, incident) -> str:
    reports = [r for r in store.linked_reports(session, incident.id) if r.state == "linked"]
    if not reports:
        return T.LINKED_NONE
    tickets = sorted({r.ticket_id for r in reports if r.ticket_id})
    loose = len({r.open_id for r in reports if not r.ticket_id} - {r.open_id for r in reports if r.ticket_id})
    items = [T.LINKED_ITEM_TICKET.format(id=t) for t in tickets]
    if loose:
        items.append(T.LINKED_ITEM_MESSAGE.format(n=loose))
    return T.LINKED.format(k=len(reports), items="、".join(items))


def listing(session: Session, settings, now) -> str:
    rows = store.answering(session, settings, now)
    if not rows:
        return T.LIST_NONE
    sizes = store.audience_size(session, [i.id for i in rows])
    lines = [T.LIST_LINE.format(id=i.id, title=i.title, status=store.status_name(i, now), n=sizes.get(i.id, 0))
             for i in rows]
    return "\n".join([T.LIST_HEADER, *lines, T.LIST_FOOTER])
