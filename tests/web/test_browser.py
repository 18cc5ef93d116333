"""The console and the simulator in Debian's headless Chromium (Playwright), against a real server.

The app is served by werkzeug's make_server on 127.0.0.1 in a thread; Chromium is /usr/bin/chromium
(Playwright's own browser download does not work here). Like every database test these run on
SQLite and on PostgreSQL. Screenshots go to artifacts/screenshots/ (kept by CI, not committed).
"""
from __future__ import annotations

import re
import threading
from pathlib import Path

import pytest
from openpyxl import Workbook
from sqlalchemy import select
from werkzeug.serving import make_server

from bot.db.models import FaqEntry as FaqRow
from bot.db.models import Ticket
from tests.support.harness import ROOT

pytestmark = pytest.mark.browser
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]
WAIT_MS = 12_000  # the simulator polls every 2 s; the matcher reloads within ~2 s of a save


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.skip("Debian's chromium is not installed: run scripts/ensure-services.sh")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture
def live(desk):
    """The desk's app served over HTTP on a free loopback port."""
    server = make_server("127.0.0.1", 0, desk.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    desk.base = f"http://127.0.0.1:{server.server_port}"
    yield desk
    server.shutdown()
    thread.join(5)


def open_page(browser, errors: list, **context_args):
    """A page that records JavaScript errors and CSP violations (HTTP error statuses are expected)."""
    context = browser.new_context(locale="zh-CN", **{"viewport": {"width": 1280, "height": 860}, **context_args})
    pg = context.new_page()
    pg.set_default_timeout(WAIT_MS)
    pg.on("pageerror", lambda exc: errors.append(str(exc)))
    pg.on("console", lambda msg: errors.append(msg.text)
          if msg.type == "error" and "Failed to load resource" not in msg.text else None)
    return pg


@pytest.fixture
def js_errors():
    errors: list[str] = []
    yield errors
    assert errors == [], errors


@pytest.fixture
def page(browser, js_errors):
    pg = open_page(browser, js_errors)
    yield pg
    pg.context.close()


def shot(page, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def login(page, live, name="admin", password="linli-demo") -> None:
    page.goto(live.base + "/admin/")
    assert "/admin/login" in page.url
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_selector("nav.mainnav")


def chat(page, live, open_id: str, text: str):
    """Open the simulator as open_id (if not there yet), send text, return the new reply bubble."""
    if "/simulator" not in page.url:
        page.goto(f"{live.base}/simulator?open_id={open_id}")
    before = page.locator(".msg.bot").count()
    page.fill("#text", text)
    page.click("#send")
    bubble = page.locator(".msg.bot").nth(before)
    bubble.wait_for()
    return bubble


def test_login_and_logout(page, live):
    page.goto(live.base + "/admin/")
    page.fill("input[name=name]", "admin")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text(".flash")
    shot(page, "login-error")
    login(page, live)
    assert "数据看板" in page.inner_text("h1")
    page.click("text=退出")
    page.wait_for_selector("text=您已退出登录")
    page.goto(live.base + "/admin/faq/")
    assert "/admin/login" in page.url


def _answerable(live) -> tuple[str, str]:
    """An FAQ whose own question the live matcher answers directly."""
    with live.session() as s:
        rows = list(s.scalars(select(FaqRow).where(FaqRow.enabled.is_(True)).order_by(FaqRow.slug)))
    kb = live.services.matchers.current()
    for row in rows:
        result = kb.match(row.question)
        if result.decision == "answer" and result.candidates[0].faq_id == row.slug:
            return row.slug, row.question
    pytest.fail("no FAQ entry is answered directly by the matcher")


def test_editing_an_faq_changes_the_simulators_answer(browser, page, live, js_errors):
    slug, question = _answerable(live)
    sim = open_page(browser, js_errors, viewport={"width": 1100, "height": 900})
    first = chat(sim, live, "o_browser_faq", question).inner_text()
    assert "试运行的新答案" not in first

    login(page, live)
    page.goto(f"{live.base}/admin/faq/{slug}")
    page.fill("textarea[name=answer]", "这是试运行的新答案：请周一至周五到社区服务大厅办理。")
    page.click("#faq-form button[type=submit]")
    page.wait_for_selector(".flash.success")
    assert "试运行的新答案" in page.inner_text("details[open] .diff")
    shot(page, "faq-edit-revision")

    for _ in range(8):  # every worker reloads its matcher within ~2 s of a save
        reply = chat(sim, live, "o_browser_faq", question).inner_text()
        if "试运行的新答案" in reply:
            break
        sim.wait_for_timeout(1000)
    assert "试运行的新答案" in reply
    shot(sim, "simulator-faq-answer")
    sim.context.close()


def test_importing_a_bad_xlsx_shows_the_row_and_reason(page, live, tmp_path):
    wb = Workbook()
    wb.active.append(["id", "question", "alt_questions", "answer", "category", "route", "tags"])
    wb.active.append(["fine_entry", "好问题", "", "好答案", "测试", "consult", ""])
    wb.active.append(["broken_entry", "坏问题", "", "", "测试", "consult", ""])
    path = tmp_path / "坏文件.xlsx"
    wb.save(path)
    login(page, live)
    page.goto(live.base + "/admin/faq/import")
    page.set_input_files("input[type=file]", str(path))
    page.click("#import-form button")
    assert "没有任何改动" in page.inner_text(".flash.error")
    assert "第3行：答案为空" in page.inner_text("#import-problems")  # every problem, by Excel row
    shot(page, "faq-import-error")
    with live.session() as s:
        assert s.scalar(select(FaqRow).where(FaqRow.slug == "fine_entry")) is None


def test_answering_a_ticket_in_the_console_reaches_the_simulator(browser, page, live, js_errors):
    sim = open_page(browser, js_errors, viewport={"width": 420, "height": 860}, is_mobile=True, has_touch=True)
    reply = chat(sim, live, "o_browser_ticket", "我家楼道的灯坏了三天了，晚上很黑，老人上下楼不安全").inner_text()
    if "工单" not in reply:
        reply = chat(sim, live, "o_browser_ticket", "转人工").inner_text()
    number = int(re.search(r"工单#(\d+)", reply).group(1))

    login(page, live, "王芳", "linli-demo")
    page.goto(f"{live.base}/admin/tickets/")
    page.click(f"a[href='/admin/tickets/{number}']")
    assert "楼道的灯坏了" in page.inner_text(".timeline")
    page.fill("#reply-form textarea", "您好，电工下午三点到，请家里留人。")
    page.click("#reply-form button")
    page.wait_for_selector(".flash.success")
    shot(page, "ticket-answered")

    sim.locator(".msg.push", has_text="电工下午三点到").wait_for()
    shot(sim, "simulator-ticket-answer-phone")
    with live.session() as s:
        assert s.get(Ticket, number).status == "answered"
    sim.context.close()


def test_roster_calendar(page, live):
    login(page, live)
    page.goto(live.base + "/admin/roster/")
    today = page.locator("#roster-calendar .day.today")
    assert today.locator(".who").count() == live.settings.roster.per_day
    assert page.locator("#roster-calendar .day").count() in (35, 42)
    assert page.locator("#fairness tbody tr").count() >= 10
    shot(page, "roster-calendar")


def _four_days_of_traffic(live) -> None:
    """Messages, tickets and answers on four duty days, so the charts have something to show."""
    from datetime import timedelta

    from tests.web.helpers import login as client_login
    from tests.web.helpers import open_ticket, post

    end = live.clock.now()
    staff = client_login(live, "王芳", "linli-demo")
    questions = ["我家楼上装修太吵了，天天早上七点就开始", "小区东门的路灯坏了", "想给老人申请居家养老服务"]
    for back in (3, 2, 1, 0):
        live.clock.set(end - timedelta(days=back))
        for i in range(4 - back):
            live.send("社区服务大厅几点开门？", as_=f"o_traffic_{back}_{i}")
        number = open_ticket(live, questions[back % 3], as_=f"o_traffic_ticket_{back}")
        live.clock.advance(minutes=5 + 10 * back)
        post(staff, f"/admin/tickets/{number}/answer", {"text": "已安排工作人员跟进，请留意电话。"})
        live.send(str(5 - back % 2), as_=f"o_traffic_ticket_{back}")  # the resident rates the answer
    live.clock.set(end)


def test_dashboard(page, live):
    _four_days_of_traffic(live)
    login(page, live)
    page.goto(live.base + "/admin/dashboard/")
    assert page.locator(".chart svg").count() == 5
    box = page.locator("#chart-messages svg").bounding_box()
    assert box and box["width"] > 200 and box["height"] > 80
    assert page.locator("#figures tbody tr").count() == 14
    assert page.locator("#chart-categories svg rect").count() >= 2
    shot(page, "dashboard")
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live.base + "/admin/tickets/?status=all")
    shot(page, "tickets-phone")
