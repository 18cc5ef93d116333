"""Issue 16 in headless Chromium, desktop and 390 px: the roster change preview, the import error list.

Fixtures and helpers come from test_browser.py (Debian's /usr/bin/chromium through Playwright)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from bot.db.models import FaqEntry as FaqRow
from bot.duty_roster import effective_roster
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
