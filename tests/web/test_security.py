"""Console security: logins, roles, CSRF, lock-out, cookies, redirects, the simulator switch."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from bot.db.models import Staff
from tests.support.harness import Desk
from tests.support.harness import test_settings as settings_for
from tests.web.helpers import PASSWORD, csrf, login, post

PUBLIC = {"auth.login", "static_web.static", "static"}
ADMIN_ONLY_PREFIXES = ("/admin/faq", "/admin/staff", "/admin/learning")


def console_rules(app):
    """Every console URL with placeholder arguments filled in."""
    for rule in app.url_map.iter_rules():
        if not rule.rule.startswith("/admin") or rule.endpoint in PUBLIC:
            continue
        path = re.sub(r"<int:[^>]+>", "1", rule.rule)
        path = re.sub(r"<fmt>", "yaml", path)
        yield rule, re.sub(r"<[^>]+>", "office_hours", path)


def test_every_console_route_refuses_an_anonymous_user(desk):
    client = desk.app.test_client()
    rules = list(console_rules(desk.app))
    assert len(rules) >= 20
    for rule, path in rules:
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            resp = client.open(path, method=method)
            if method == "GET":
                assert resp.status_code == 302 and "/admin/login" in resp.location, (method, path, resp.status_code)
            else:  # refused by CSRF (no token) or by the login guard
                assert resp.status_code in (302, 400), (method, path, resp.status_code)
                assert resp.status_code == 400 or "/admin/login" in resp.location


def test_anonymous_post_with_a_valid_token_is_sent_to_login(desk):
    client = desk.app.test_client()
    resp = client.post("/admin/staff/add", data={"name": "闯入者", "csrf_token": csrf(client)})
    assert resp.status_code == 302 and "/admin/login" in resp.location
    with desk.session() as s:
        assert s.scalar(select(Staff).where(Staff.name == "闯入者")) is None


def test_staff_cannot_reach_admin_pages(console, staff_client):
    for rule, path in console_rules(console.app):
        if path.startswith(ADMIN_ONLY_PREFIXES) and "GET" in rule.methods:
            assert staff_client.get(path).status_code == 403, path
    assert staff_client.get("/admin/roster/").status_code == 403
    assert staff_client.get("/admin/dashboard/").status_code == 403
    assert staff_client.get("/admin/tickets/").status_code == 200


def test_staff_cannot_post_to_admin_forms(console, staff_client):
    resp = post(staff_client, "/admin/staff/add", {"name": "新人", "role": "admin"})
    assert resp.status_code == 403
    with console.session() as s:
        assert s.scalar(select(Staff).where(Staff.name == "新人")) is None


def test_lead_reaches_roster_and_dashboard_but_not_faq(console):
    lead = login(console, "张伟")
    assert lead.get("/admin/roster/").status_code == 200
    assert lead.get("/admin/dashboard/").status_code == 200
    assert lead.get("/admin/faq/").status_code == 403


def test_a_form_without_its_csrf_token_is_refused(console, admin):
    resp = admin.post("/admin/staff/add", data={"name": "无令牌", "role": "staff"})
    assert resp.status_code == 400
    resp = admin.post("/admin/staff/add", data={"name": "无令牌", "role": "staff", "csrf_token": "forged"})
    assert resp.status_code == 400
    with console.session() as s:
        assert s.scalar(select(Staff).where(Staff.name == "无令牌")) is None
    assert post(admin, "/admin/staff/add", {"name": "有令牌", "role": "staff"}).status_code == 302


def test_login_without_csrf_token_is_refused(console):
    client = console.app.test_client()
    assert client.post("/admin/login", data={"name": "boss", "password": PASSWORD}).status_code == 400


def test_the_webhook_needs_no_csrf_token(desk):
    assert desk.send("你好") is not None


def test_a_failed_login_never_says_which_limit_or_name(console):
    """Wrong password, unknown name and a throttled name all get the same answer (see test_login_throttle)."""
    client = console.app.test_client()
    texts = set()
    for name, password in (("boss", "nope"), ("nobody-here", "nope"), ("nobody-here", PASSWORD)):
        resp = client.post("/admin/login", data={"name": name, "password": password, "csrf_token": csrf(client)})
        assert resp.status_code == 401
        texts.add(re.search(r"登录未成功[^<]*", resp.get_data(as_text=True)).group(0))
    assert len(texts) == 1 and "锁定" not in texts.pop()


def test_unknown_user_and_inactive_user_cannot_log_in(console):
    client = console.app.test_client()
    resp = client.post("/admin/login", data={"name": "nobody", "password": PASSWORD, "csrf_token": csrf(client)})
    assert resp.status_code == 401
    with console.session() as s:
        s.scalar(select(Staff).where(Staff.name == "王芳")).active = False
    resp = client.post("/admin/login", data={"name": "王芳", "password": PASSWORD, "csrf_token": csrf(client)})
    assert resp.status_code == 401


def test_a_deactivated_user_loses_their_session(console, staff_client):
    assert staff_client.get("/admin/tickets/").status_code == 200
    with console.session() as s:
        s.scalar(select(Staff).where(Staff.name == "王芳")).active = False
    assert staff_client.get("/admin/tickets/").status_code == 302


def test_a_password_change_ends_other_sessions(console, staff_client, admin):
    with console.session() as s:
        wang = s.scalar(select(Staff).where(Staff.name == "王芳"))
    resp = post(admin, f"/admin/staff/{wang.id}", {"role": "staff", "active": "on", "eligible": "on",
                                                   "password": "another-pass-99"})
    assert resp.status_code == 302
    assert staff_client.get("/admin/tickets/").status_code == 302
    login(console, "王芳", "another-pass-99")


def test_passwords_are_stored_as_argon2_hashes(console):
    with console.session() as s:
        boss = s.scalar(select(Staff).where(Staff.name == "boss"))
        assert boss.password_hash.startswith("$argon2id$") and PASSWORD not in boss.password_hash


def test_login_does_not_redirect_off_site(console):
    client = console.app.test_client()
    for target in ("https://evil.example/", "//evil.example/admin", "/admin//evil.example"):
        resp = client.post(f"/admin/login?next={target}",
                           data={"name": "boss", "password": PASSWORD, "csrf_token": csrf(client)})
        assert resp.status_code == 302 and resp.location == "/admin/", target


def test_logout_needs_post_and_ends_the_session(admin):
    assert admin.get("/admin/logout").status_code == 405
    assert post(admin, "/admin/logout").status_code == 302
    assert admin.get("/admin/tickets/").status_code == 302


@pytest.mark.parametrize("secure", [True, False])
def test_session_cookie_follows_secure_cookies_setting(db_url, secure):
    desk = Desk(settings_for(db_url, **{"web.secure_cookies": secure}))
    try:
        from tests.web.helpers import add_user
        add_user(desk, "boss", "admin")
        client = desk.app.test_client()
        resp = client.post("/admin/login", data={"name": "boss", "password": PASSWORD, "csrf_token": csrf(client)})
        cookie = resp.headers["Set-Cookie"]
        assert ("Secure" in cookie) is secure and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    finally:
        desk.close()


def test_simulator_is_404_when_disabled(db_url):
    desk = Desk(settings_for(db_url, **{"web.simulator": False}))
    try:
        client = desk.app.test_client()
        assert client.get("/simulator").status_code == 404
        assert client.post("/simulator/send", json={"open_id": "o1", "text": "hi"}).status_code in (400, 404)
        with desk.session() as s:  # no demo logins outside demo mode
            assert s.scalar(select(Staff).where(Staff.name == "admin")) is None
    finally:
        desk.close()


def test_demo_mode_has_a_demo_admin(desk):
    client = login(desk, "admin", "linli-demo")
    assert client.get("/admin/faq/").status_code == 200


def test_console_and_simulator_pages_forbid_outside_resources_and_framing(desk):
    client = desk.app.test_client()
    for path in ("/admin/login", "/simulator"):
        headers = client.get(path).headers
        assert "default-src 'self'" in headers["Content-Security-Policy"]
        assert headers["X-Frame-Options"] == "DENY" and headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" not in client.get("/healthz").headers
