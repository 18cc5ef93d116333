"""工单台账 a street office accepts (issue 16): residents by masked name and 楼栋房号, real dates,
办理结果 / 办结人 / 转办记录, bold frozen headers, column widths, a Chinese file name."""
from __future__ import annotations

import io
from datetime import date, datetime

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from sqlalchemy import select

from bot.db.models import Resident, Ticket, TicketEvent
from bot.tickets.contact import mask_phone
from bot.web.helpers import CATEGORY_NAMES, PRIORITY_NAMES, STATUS_NAMES, tz
from bot.web.stats import mask_open_id, tickets_between
from bot.xlsx_safe import keep_as_text

COLUMNS = (("工单编号", 9), ("登记时间", 17), ("居民", 10), ("楼栋房号", 16), ("联系电话", 14), ("类别", 10),
           ("紧急程度", 8), ("诉求内容", 40), ("受理人", 9), ("首次答复时间", 17), ("办理结果", 44),
           ("办结人", 9), ("办结时间", 17), ("转办记录", 30), ("居民评价", 8))
DATE_FORMAT = "yyyy-mm-dd hh:mm"
DATE_COLUMNS = (2, 10, 13)
RESULT = {"open": STATUS_NAMES["open"], "answered": STATUS_NAMES["answered"] + "，待办结",
          "cancelled": STATUS_NAMES["cancelled"]}  # 办理结果 by status (closed: the answer)


def mask_name(name: str) -> str:
    """'王*芳', '李*': the surname and the last character (a two-character name keeps the surname)."""
    if len(name) <= 1:
        return name
    return name[0] + "*" if len(name) == 2 else name[0] + "*" * (len(name) - 2) + name[-1]


def mask_address(r: Resident) -> str:
    """'3号楼2单元3**室': building and unit as given, the room number masked after its first digit."""
    room = (r.room[0] + "*" * (len(r.room) - 1) + "室") if r.room else ""
    return "".join(x for x in ((r.building + "号楼") if r.building else "", (r.unit + "单元") if r.unit else "", room))


def _local(dt: datetime | None):
    """A real spreadsheet date in the desk's time zone (naive: Excel has no time zones)."""
    return dt.astimezone(tz()).replace(tzinfo=None) if dt else None


def _history(events: list[TicketEvent]) -> tuple[str, str, str]:
    """(first handler, 转办记录, 办结人) from the ticket's event log."""
    first = next((str(e.data.get("to") or e.actor) for e in events if e.kind in ("assigned", "taken")), "")
    moves = [f"{_local(e.at):%m-%d %H:%M} {e.data.get('previous') or '未分配'}→{e.data.get('to')}（{e.actor}转办）"
             for e in events if e.kind == "transferred"]
    closer = next((e.actor for e in reversed(events) if e.kind == "closed"), "")
    return first, "\n".join(moves), closer


def _result(t: Ticket, events: list[TicketEvent]) -> str:
    if t.status == "closed":
        reason = next((e.data.get("reason") for e in reversed(events) if e.kind == "closed" and e.data.get("reason")), "")
        return STATUS_NAMES["closed"] + "：" + (t.last_answer or reason or "（未填写）") + (f"（关闭说明：{reason}）" if reason and t.last_answer else "")
    return RESULT.get(t.status, t.status) + (f"：{t.last_answer}" if t.last_answer else "")


def row(t: Ticket, events: list[TicketEvent], resident: Resident | None, full_ids: bool = False) -> list:
    first, moves, closer = _history(events)
    who = mask_name(resident.name) if resident and resident.name else mask_open_id(t.resident_open_id)
    who = t.resident_open_id if full_ids else who
    return [t.id, _local(t.created_at), who, mask_address(resident) if resident else "",
            mask_phone(resident.phone) if resident and resident.phone else "",
            CATEGORY_NAMES.get(t.category, t.category), PRIORITY_NAMES.get(t.priority, t.priority), t.subject,
            first or (t.assignee.name if t.assignee else ""), _local(t.first_response_at), _result(t, events),
            closer, _local(t.closed_at) if t.status == "closed" else None, moves, t.rating]


def workbook(session, first: date, last: date, title: str, full_ids: bool = False) -> Workbook:
    tickets = tickets_between(session, first, last)
    ids = [t.id for t in tickets]
    events: dict[int, list[TicketEvent]] = {}
    for e in session.scalars(select(TicketEvent).where(TicketEvent.ticket_id.in_(ids or [-1])).order_by(TicketEvent.id)):
        events.setdefault(e.ticket_id, []).append(e)
    people = {r.open_id: r for r in session.scalars(
        select(Resident).where(Resident.open_id.in_({t.resident_open_id for t in tickets} or {""})))}
    wb = Workbook()
    ws = wb.active
    ws.title = "工单台账"
    ws.append([f"{title} 工单台账（{first:%Y年%m月%d日} 至 {last:%Y年%m月%d日}，共{len(tickets)}件）"])
    ws.append([name for name, _ in COLUMNS])
    for t in tickets:
        ws.append(row(t, events.get(t.id, []), people.get(t.resident_open_id), full_ids))
    _style(ws)
    return wb


def _style(ws) -> None:
    ws["A1"].font = Font(bold=True, size=14)
    ws.merge_cells(start_row=1, start_column=1, end_row=1, end_column=len(COLUMNS))
    ws.row_dimensions[1].height = 24
    for cell in ws[2]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    ws.freeze_panes = "B3"
    for i, (_, width) in enumerate(COLUMNS, start=1):
        ws.column_dimensions[ws.cell(row=2, column=i).column_letter].width = width
    for r in ws.iter_rows(min_row=3):
        for cell in r:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            if cell.column in DATE_COLUMNS:
                cell.number_format = DATE_FORMAT
    keep_as_text(ws)  # residents wrote some of these cells: never formulas


def ledger_bytes(session, first: date, last: date, title: str, full_ids: bool = False) -> bytes:
    """The ledger file; `full_ids` (admins who ask) adds each resident's whole open_id."""
    buf = io.BytesIO()
    workbook(session, first, last, title, full_ids).save(buf)
    return buf.getvalue()


def file_name(title: str, first: date, last: date) -> str:
    return f"{title}工单台账_{first:%Y%m%d}-{last:%Y%m%d}.xlsx"
