"""Dashboard figures, the ticket ledger export, the learning loop and the roster page."""
from __future__ import annotations

import io

from openpyxl import load_workbook
from sqlalchemy import select

from bot.faq_store import revisions as faq_store
from bot.db.models import FaqDraft
from bot.web.charts import bar_chart, hbar_chart
from bot.web.learning import group_questions
from tests.web.helpers import login, open_ticket, post


def test_dashboard_shows_figures_charts_and_table(console, admin):
    console.send("几点下班", as_="o_dash_1")
    number = open_ticket(console, "我家楼下的路灯坏了好几天了", as_="o_dash_2")
    console.clock.advance(minutes=12)
    staff = login(console, "王芳")
    post(staff, f"/admin/tickets/{number}/answer", {"text": "已通知物业维修。"})
    page = admin.get("/admin/dashboard/").get_data(as_text=True)
    assert page.count("<svg") >= 5 and "工单类别分布" in page and 'id="figures"' in page
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert "12.0" in page  # median first response in minutes


def test_ledger_export_has_one_row_per_ticket_in_range(console, admin):
    first = open_ticket(console, "小区门口的垃圾桶满了没人清理", as_="o_led_1")
    second = open_ticket(console, "想咨询一下独生子女证明怎么开", as_="o_led_2")
    resp = admin.get("/admin/dashboard/ledger.xlsx?from=2026-11-20&to=2026-12-02")
    assert resp.status_code == 200 and resp.mimetype.endswith("spreadsheetml.sheet")
    ws = load_workbook(io.BytesIO(resp.data)).active
    rows = list(ws.iter_rows(values_only=True))
    assert "工单台账" in rows[0][0] and rows[1][0] == "工单编号"
    assert [r[0] for r in rows[2:]] == [first, second]
    assert rows[2][7] == "小区门口的垃圾桶满了没人清理"
    empty = load_workbook(io.BytesIO(admin.get("/admin/dashboard/ledger.xlsx?from=2026-01-01&to=2026-01-31").data))
    assert len(list(empty.active.iter_rows())) == 2


def test_charts_are_plain_svg():
    svg = bar_chart(["01", "02"], [("消息", [3, 5])], "图")
    assert svg.startswith("<svg") and svg.endswith("</svg>") and ">5<" in svg
    assert "暂无数据" in hbar_chart([], "空")
    assert "&lt;b&gt;" in hbar_chart([("<b>", 1)], "escape")


def test_similar_handed_off_questions_are_grouped_with_counts():
    rows = [("物业费怎么交", 1), ("物业费在哪里交", 2), ("物业费去哪交啊", 3), ("狗叫扰民怎么办", 4)]
    groups = group_questions(rows)
    assert [g.count for g in groups] == [3, 1]
    assert "狗叫扰民怎么办" in groups[1].texts


def test_learning_page_lists_handed_off_questions(console, admin):
    open_ticket(console, "小区里能不能装一个快递柜", as_="o_learn_1")
    open_ticket(console, "小区能装个快递柜吗", as_="o_learn_2")
    page = admin.get("/admin/learning/").get_data(as_text=True)
    assert "快递柜" in page and "写成问答" in page


def test_approving_a_draft_creates_the_faq(console, admin):
    with console.session() as s:
        s.add(FaqDraft(question="快递柜在哪里？", answer="快递柜在东门岗亭旁。", route="consult",
                       proposed_by="王芳", created_at=console.clock.now()))
    with console.session() as s:
        draft = s.scalar(select(FaqDraft))
    assert "快递柜在哪里" in admin.get("/admin/learning/").get_data(as_text=True)
    resp = post(admin, f"/admin/learning/drafts/{draft.id}/approve",
                {"id": "parcel_locker", "question": "快递柜在哪里？", "answer": "快递柜在东门岗亭旁。",
                 "category": "生活服务", "route": "consult", "enabled": "on"}, token_from="/admin/learning/")
    assert resp.status_code == 302
    with console.session() as s:
        assert faq_store.get(s, "parcel_locker").answer == "快递柜在东门岗亭旁。"
        assert s.get(FaqDraft, draft.id).status == "approved"
    assert "暂无待审核" in admin.get("/admin/learning/").get_data(as_text=True)


def test_roster_calendar_swap_and_leave(console):
    lead = login(console, "张伟")
    page = lead.get("/admin/roster/?month=2026-12").get_data(as_text=True)
    assert "2026年12月" in page and 'data-day="2026-12-01"' in page and "公平性" in page
    resp = post(lead, "/admin/roster/leave", {"name": "刘洋", "start": "2026-12-01", "end": "2026-12-31"},
                token_from="/admin/roster/", follow_redirects=True)
    text = resp.get_data(as_text=True)
    assert "请假已登记" in text and "刘洋 请假" in text
    bad = post(lead, "/admin/roster/swap", {"day": "2026-12-05", "a": "王芳", "b": "王芳"},
               token_from="/admin/roster/", follow_redirects=True)
    assert "换班失败" in bad.get_data(as_text=True)
