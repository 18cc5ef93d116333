"""Staff administration and binding a WeChat account with a one-time code (`绑定 123456`)."""
from __future__ import annotations

import re


from sqlalchemy import select

from bot.db import transaction
from bot.db.models import Staff
from bot.domain import Inbound
from bot.pipeline import Context
from handlers.bind import Bind
from tests.web.helpers import login, post


def _staff(desk, name) -> Staff:
    with desk.session() as s:
        return s.scalar(select(Staff).where(Staff.name == name))


def _bind_code(desk, admin, name) -> str:
    resp = post(admin, f"/admin/staff/{_staff(desk, name).id}/bind", token_from="/admin/staff/", follow_redirects=True)
    code = re.search(r"绑定 (\d{6})", resp.get_data(as_text=True))
    assert code, "the console shows the code to send"
    return code.group(1)


def _send_bind(desk, open_id: str, text: str) -> str:
    """Run the Bind handler on one message, as the pipeline would."""
    msg = Inbound(open_id=open_id, account="gh", msg_key=f"t:{open_id}:{text}", kind="text",
                  at=desk.clock.now(), text=text)
    with transaction(desk.services.session_factory) as s:
        ctx = Context(s, desk.clock, desk.settings, desk.services)
        handler = Bind()
        match = handler.check(msg, ctx)
        assert match, f"Bind does not take {text!r}"
        return handler.handle(msg, ctx, match).text


def test_add_staff_with_role_and_password(console, admin):
    form = {"name": "新同事", "role": "lead", "phone": "13900000000", "password": "a-good-password",
            "active": "on", "eligible": "on"}
    preview = post(admin, "/admin/staff/add", form, token_from="/admin/staff/")
    assert preview.status_code == 200 and "值班表变动预览" in preview.get_data(as_text=True)
    assert _staff(console, "新同事") is None  # nothing is saved before the date is confirmed
    resp = post(admin, "/admin/staff/add", {**form, "confirm": "1"}, token_from="/admin/staff/")
    assert resp.status_code == 302
    new = _staff(console, "新同事")
    assert new.role == "lead" and new.active and new.eligible and new.phone == "13900000000"
    assert login(console, "新同事", "a-good-password").get("/admin/roster/").status_code == 200


def test_duplicate_name_and_short_password_are_refused(console, admin):
    resp = post(admin, "/admin/staff/add", {"name": "王芳"}, token_from="/admin/staff/", follow_redirects=True)
    assert "已有名为" in resp.get_data(as_text=True)
    resp = post(admin, "/admin/staff/add", {"name": "短密码", "password": "123"}, token_from="/admin/staff/",
                follow_redirects=True)
    assert "至少" in resp.get_data(as_text=True) and _staff(console, "短密码") is None


def test_deactivate_and_change_role(console, admin):
    wang = _staff(console, "王芳")
    post(admin, f"/admin/staff/{wang.id}", {"role": "lead", "phone": wang.phone, "confirm": "1"},
         token_from="/admin/staff/")
    wang = _staff(console, "王芳")
    assert wang.role == "lead" and not wang.active and not wang.eligible


def test_admin_cannot_demote_themselves(console, admin):
    boss = _staff(console, "boss")
    resp = post(admin, f"/admin/staff/{boss.id}", {"role": "staff", "active": "on"}, token_from="/admin/staff/",
                follow_redirects=True)
    assert "不能取消自己" in resp.get_data(as_text=True) and _staff(console, "boss").role == "admin"


def test_bind_code_binds_the_senders_open_id_once(console, admin):
    code = _bind_code(console, admin, "王芳")
    reply = _send_bind(console, "o_new_phone_of_wangfang", f"绑定 {code}")
    assert "绑定成功" in reply
    wang = _staff(console, "王芳")
    assert wang.open_id == "o_new_phone_of_wangfang" and wang.bind_code is None
    assert "无效" in _send_bind(console, "o_someone_else", f"绑定 {code}")


def test_bind_code_expires(console, admin):
    code = _bind_code(console, admin, "李娜")
    console.clock.advance(minutes=16)
    assert "无效" in _send_bind(console, "o_late", f"绑定{code}")
    assert _staff(console, "李娜").open_id == "o_demo_staff_lina"


def test_an_open_id_bound_to_someone_else_is_refused(console, admin):
    code = _bind_code(console, admin, "李娜")
    reply = _send_bind(console, "o_demo_staff_wangfang", f"绑定：{code}")
    assert "王芳" in reply and _staff(console, "李娜").open_id == "o_demo_staff_lina"


def test_bind_ignores_other_text(console):
    msg = Inbound(open_id="o1", account="gh", msg_key="k", kind="text", at=console.clock.now(), text="绑定 12345")
    with console.session() as s:
        assert Bind().check(msg, Context(s, console.clock, console.settings, console.services)) is None


def test_unbind(console, admin):
    lina = _staff(console, "李娜")
    post(admin, f"/admin/staff/{lina.id}/unbind", token_from="/admin/staff/")
    assert _staff(console, "李娜").open_id is None


def test_binding_through_the_webhook(console, admin):
    assert any(isinstance(h, Bind) for h in console.services.pipeline.handlers)
    code = _bind_code(console, admin, "王芳")
    assert "绑定成功" in console.send(f"绑定 {code}", as_="o_wangfang_new_phone")
    assert _staff(console, "王芳").open_id == "o_wangfang_new_phone"
    assert console.send("待办", as_="o_wangfang_new_phone")  # now recognised as staff


def test_binding_through_the_webhook_with_bind_placed_before_staff_commands(console, admin):
    handlers = console.services.pipeline.handlers
    if not any(isinstance(h, Bind) for h in handlers):
        names = [h.name for h in handlers]
        handlers.insert(names.index("staff") if "staff" in names else 2, Bind())
    code = _bind_code(console, admin, "王芳")
    assert "绑定成功" in console.send(f"绑定 {code}", as_="o_wangfang_second_phone")
    assert _staff(console, "王芳").open_id == "o_wangfang_second_phone"
    assert "无效" in console.send(f"绑定 {code}", as_="o_stranger")
