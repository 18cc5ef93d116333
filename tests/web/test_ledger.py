"""The 工单台账 (issue 16): masked names and 楼栋房号, real dates, 办理结果/办结人/转办记录, bold frozen
headers, widths and a Chinese file name."""
from __future__ import annotations

import io
from datetime import datetime
from urllib.parse import unquote

from openpyxl import load_workbook
from sqlalchemy import select

from bot.db.models import Resident, Staff
from tests.web.helpers import login, open_ticket, post


def test_the_ledger_reads_like_a_street_office_register(console, admin):
    number = open_ticket(console, "我家卫生间漏水到楼下了，请派人来看看", as_="o_ledger_1")
    with console.session() as s:
        s.add(Resident(open_id="o_ledger_2", first_seen=console.clock.now(), name="王秀芳", phone="13912345678",
                       building="3", unit="2", room="301")) if not s.scalar(
            select(Resident).where(Resident.open_id == "o_ledger_2")) else None
    second = open_ticket(console, "想咨询一下独生子女证明怎么开", as_="o_ledger_2")
    with console.session() as s:
        r = s.scalar(select(Resident).where(Resident.open_id == "o_ledger_2"))
        r.name, r.phone, r.building, r.unit, r.room = "王秀芳", "13912345678", "3", "2", "301"
        lina = s.scalar(select(Staff).where(Staff.name == "李娜")).id
    staff = login(console, "王芳")
    post(staff, f"/admin/tickets/{second}/transfer", {"to": lina})
    post(staff, f"/admin/tickets/{second}/answer", {"text": "请带户口本到社区服务大厅开具。"})
    post(staff, f"/admin/tickets/{second}/close", {})
    resp = admin.get("/admin/dashboard/ledger.xlsx?from=2026-11-20&to=2026-12-02")
    assert "工单台账_20261120-20261202.xlsx" in unquote(resp.headers["Content-Disposition"])
    ws = load_workbook(io.BytesIO(resp.data)).active
    head = [c.value for c in ws[2]]
    assert head[:4] == ["工单编号", "登记时间", "居民", "楼栋房号"] and "办理结果" in head and "转办记录" in head
    assert ws.freeze_panes == "B3" and ws["A2"].font.b and ws.column_dimensions["H"].width >= 30
    rows = {r[0]: dict(zip(head, r)) for r in ws.iter_rows(min_row=3, values_only=True)}
    mine = rows[second]
    assert mine["居民"] == "王*芳" and mine["楼栋房号"] == "3号楼2单元3**室" and mine["联系电话"] == "139****5678"
    assert isinstance(mine["登记时间"], datetime) and isinstance(mine["办结时间"], datetime)
    assert mine["办理结果"].startswith("已办结：请带户口本") and mine["办结人"] == "王芳"
    assert "→李娜（王芳转办）" in mine["转办记录"]
    assert rows[number]["办理结果"] == "处理中" and rows[number]["居民"].startswith("…")
