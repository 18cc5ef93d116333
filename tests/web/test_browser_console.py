"""Issue 16 in headless Chromium, desktop and 390 px: the roster change preview, the import error list.

Fixtures and helpers come from test_browser.py (Debian's /usr/bin/chromium through Playwright)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.db.models import FaqEntry as FaqRow
from bot.roster.store import effective_roster
from tests.web.test_browser import browser, js_errors, live, open_page, page, shot  # noqa: F401

pytestmark = pytest.mark.browser
DEC1 = date(2026, 12, 1)
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def pairs(desk, first: date, days: int):
    with desk.session() as s:
        return {r.day: frozenset(r.staff) for r in effective_roster(s, desk.settings, first, days)}


def login(pg, live, name="admin", password="linli-demo") -> None:
    """Log in (at 390 px the menu is folded, so wait for the page, not a visible menu)."""
    pg.goto(live.base + "/admin/")
    pg.fill("input[name=name]", name)
    pg.fill("input[name=password]", password)
    pg.click("button[type=submit]")
    pg.wait_for_selector("nav.mainnav", state="attached")


def _fits(pg) -> None:
    """Nothing on the page is wider than the viewport (no sideways scrolling on a phone)."""
    assert pg.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_adding_staff_previews_the_days_that_change_then_applies_from_that_date(browser, live, js_errors, size):
    pg = open_page(browser, js_errors, **(PHONE if size == "phone" else {}))
    before = pairs(live, DEC1 - timedelta(days=30), 90)
    login(pg, live)
    pg.goto(live.base + "/admin/staff/")
    pg.fill("form[action$='/staff/add'] input[name=name]", "郑洁")
    pg.click("form[action$='/staff/add'] button.primary")
    pg.wait_for_selector("#change-preview")
    start = DEC1 + timedelta(days=9)
    pg.fill("#preview-form input[name=effective_from]", start.isoformat())
    pg.click("#re-preview")
    pg.wait_for_selector("#changed-days")
    assert "自12月10日（周四）起" in pg.inner_text("#change-preview")
    assert "郑洁还没有绑定微信" in pg.inner_text("#change-warnings")
    first_changed = pg.locator("#changed-days tbody tr td").first.inner_text()
    assert first_changed.startswith("12月1") and pg.locator("#affected tbody tr").count() >= 2
    shot(pg, f"roster-change-preview-{size}")
    if size == "phone":
        _fits(pg)
    assert pairs(live, DEC1 - timedelta(days=30), 90) == before  # the preview saved nothing
    pg.click("#confirm-form button")
    pg.wait_for_selector(".flash.success")
    assert "值班表自12月10日（周四）起调整" in pg.inner_text(".flash.success")
    after = pairs(live, DEC1 - timedelta(days=30), 90)
    assert all(after[d] == before[d] for d in after if d < start)
    assert any("郑洁" in p for d, p in after.items() if d >= start)
    pg.context.close()


def _sheet(path, rows) -> None:
    wb = Workbook()
    for r in rows:
        wb.active.append(list(r))
    wb.save(path)


@pytest.mark.parametrize("size", ["desktop", "phone"])
def test_an_import_lists_every_problem_and_changes_nothing(browser, live, js_errors, tmp_path, size):
    with live.session() as s:
        row = next(r for r in s.scalars(select(FaqRow).order_by(FaqRow.slug)) if r.alt_questions and r.tags)
        kept = (list(row.alt_questions), row.category, list(row.tags))
    pg = open_page(browser, js_errors, **(PHONE if size == "phone" else {}))
    login(pg, live)
    typo = tmp_path / "错列名.xlsx"
    _sheet(typo, [("编号", "问题", "alt_question", "答案", "分类", "工单类别", "标签"),
                  (row.slug, row.question, "", row.answer, "", row.route, "")])
    pg.goto(live.base + "/admin/faq/import")
    pg.set_input_files("input[type=file]", str(typo))
    pg.click("#import-form button")
    problems = pg.inner_text("#import-problems")
    assert "不认识的列“alt_question”" in problems and "是不是“其他问法（alt_questions）”" in problems
    assert "没有任何改动" in pg.inner_text(".flash.error")

    broken = tmp_path / "有错的表.xlsx"
    _sheet(broken, [("编号", "问题", "其他问法", "答案", "工单类别"),
                    ("ok_entry", "问题", "", "", "政策咨询"),
                    ("Bad-Id", "问题", "", "答", "政策咨询"),
                    ("ok_entry", "问题2", "", "答2", "火星"),
                    ("long_one", "问题", "", "长" * 700, "政策咨询")])
    pg.set_input_files("input[type=file]", str(broken))
    pg.click("#import-form button")
    items = pg.locator("#import-problems li").all_inner_texts()
    assert [i.split("：")[0] for i in items] == ["第2行", "第3行", "第4行", "第4行", "第5行"]
    shot(pg, f"faq-import-error-list-{size}")
    if size == "phone":
        _fits(pg)
    with live.session() as s:
        again = s.scalar(select(FaqRow).where(FaqRow.slug == row.slug))
        assert (list(again.alt_questions), again.category, list(again.tags)) == kept
        assert s.scalar(select(FaqRow).where(FaqRow.slug == "long_one")) is None
    pg.context.close()


def _ticket(live, text: str, open_id: str) -> int:
    from tests.web.helpers import open_ticket

    return open_ticket(live, text, as_=open_id)


def test_closing_a_ticket_on_a_phone_needs_a_reason_and_a_confirmation_and_can_be_undone(browser, live, js_errors):
    from bot.db.models import Ticket

    number = _ticket(live, "楼道的灯坏了三天了，晚上很黑", "o_browser_close")
    pg = open_page(browser, js_errors, **PHONE)
    login(pg, live, "王芳", "linli-demo")
    assert "现在值班" in pg.inner_text("#on-duty-now") and "138" in pg.inner_text("#on-duty-now")
    pg.goto(f"{live.base}/admin/tickets/{number}")
    take = pg.locator("text=我来接单").bounding_box()
    close = pg.locator("#close-form button").bounding_box()
    assert close["y"] - (take["y"] + take["height"]) >= 40  # no longer 3 px from 我来接单
    dialogs = []
    pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss() if len(dialogs) == 1 else d.accept()))
    pg.click("#close-form button")  # empty reason: the browser refuses (required), nothing sent
    pg.fill("#close-form textarea", "已电话联系居民，电工明早上门")
    pg.click("#close-form button")  # first confirmation dismissed: still open
    with live.session() as s:
        assert s.get(Ticket, number).status == "open"
    pg.click("#close-form button")
    pg.wait_for_selector(".flash.success")
    assert dialogs and "确定关闭工单" in dialogs[0]
    shot(pg, "ticket-closed-phone")
    _fits(pg)
    pg.click("#reopen-form button")
    pg.wait_for_selector("text=已重新打开")
    with live.session() as s:
        assert s.get(Ticket, number).status == "open"
    pg.context.close()


def test_deactivating_someone_hands_their_tickets_over(browser, live, js_errors):
    from bot.db.models import Staff, Ticket

    number = _ticket(live, "我家门口的下水道堵了，请派人来疏通", "o_browser_handover")
    with live.session() as s:
        holder = s.get(Ticket, number).assignee
        holder_id, name = holder.id, holder.name
    pg = open_page(browser, js_errors)
    login(pg, live)
    pg.goto(live.base + "/admin/staff/")
    form = pg.locator(f"form[action='/admin/staff/{holder_id}']")
    form.locator("input[name=active]").uncheck()
    form.locator("button").click()
    pg.wait_for_selector("#handover")
    assert f"{name}名下还有 1 张未办结的工单" in pg.inner_text("#change-preview")
    shot(pg, "staff-deactivate-handover")
    pg.click("#confirm-form button.primary")
    pg.wait_for_selector(".flash.success")
    with live.session() as s:
        assert s.get(Ticket, number).assignee_id != holder_id
        assert not s.get(Staff, holder_id).active
    pg.context.close()


def test_learning_loop_from_unanswered_questions_to_an_answer(browser, live, js_errors):
    from tests.web.test_browser import chat

    for i, q in enumerate(["小区里能不能装一个快递柜", "小区能装个快递柜吗", "快递柜什么时候能装上"]):
        _ticket(live, q, f"o_browser_learn_{i}")
    pg = open_page(browser, js_errors)
    login(pg, live)
    pg.goto(live.base + "/admin/learning/")
    row = pg.locator("#groups tbody tr", has_text="快递柜")
    assert row.locator("td").first.inner_text() == "3"
    shot(pg, "learning-loop-1-groups")
    row.locator("a.write-up").click()
    pg.wait_for_selector("textarea[name=alt_questions]")
    alts = pg.input_value("textarea[name=alt_questions]")
    assert len(alts.splitlines()) == 2 and "快递柜" in alts
    pg.fill("input[name=id]", "parcel_locker_plan")
    pg.fill("textarea[name=answer]", "长" * 700)
    assert "超出 18 字" in pg.inner_text(".char-count")  # the live counter, in characters
    pg.fill("textarea[name=answer]", "快递柜下月装在东门岗亭旁，装好后会在群里通知。")
    assert "已输入 23 字" in pg.inner_text(".char-count")
    shot(pg, "learning-loop-2-write-up")
    pg.click("#faq-form button[type=submit]")
    pg.wait_for_selector(".flash.success")
    for _ in range(16):  # the matcher reloads within ~2 s of a save
        pg.goto(live.base + "/admin/learning/")
        if pg.locator("#groups tbody tr", has_text="快递柜").count() == 0:
            break
        pg.wait_for_timeout(500)
    assert pg.locator("#groups tbody tr", has_text="快递柜").count() == 0
    shot(pg, "learning-loop-3-group-gone")
    sim = open_page(browser, js_errors, **PHONE)
    reply = chat(sim, live, "o_browser_learn_next", "小区能不能装快递柜").inner_text()
    assert "快递柜下月装在东门" in reply
    shot(sim, "learning-loop-4-resident-answered")
    sim.context.close()
    pg.context.close()


def test_the_ledger_opened_as_a_spreadsheet(browser, live, js_errors, tmp_path):
    from tests.web.helpers import login as client_login
    from tests.web.helpers import post
    from tests.web.xlsx_render import render_html

    from sqlalchemy import select as sel

    from bot.db.models import Resident, Staff

    number = _ticket(live, "想咨询一下独生子女证明怎么开", "o_browser_ledger")
    with live.session() as s:
        r = s.scalar(sel(Resident).where(Resident.open_id == "o_browser_ledger"))
        r.name, r.phone, r.building, r.unit, r.room = "王秀芳", "13912345678", "3", "2", "301"
        lina = s.scalar(sel(Staff).where(Staff.name == "李娜")).id
    staff = client_login(live, "王芳", "linli-demo")
    post(staff, f"/admin/tickets/{number}/transfer", {"to": lina})
    post(staff, f"/admin/tickets/{number}/answer", {"text": "请带户口本和身份证到社区服务大厅开具。"})
    post(staff, f"/admin/tickets/{number}/close", {})
    _ticket(live, "楼上装修太吵了，天天早上七点就开始", "o_browser_ledger_2")
    pg = open_page(browser, js_errors)
    login(pg, live)
    with pg.expect_download() as got:
        pg.evaluate("url => { const a = document.createElement('a'); a.href = url; a.click(); }",
                    live.base + "/admin/dashboard/ledger.xlsx?from=2026-11-25&to=2026-12-01")
    download = got.value
    assert download.suggested_filename.endswith("工单台账_20261125-20261201.xlsx")
    path = tmp_path / download.suggested_filename
    download.save_as(path)
    html = tmp_path / "ledger.html"
    html.write_text(render_html(path), encoding="utf-8")
    pg.goto(html.as_uri())
    table = pg.inner_text("table")
    assert "办理结果" in table and "已办结：请带户口本" in table and "王*芳" in table and "3号楼2单元3**室" in table
    assert "→李娜（王芳转办）" in table
    shot(pg, "ledger-opened")
    pg.context.close()
