"""The rota is history (issue 16, blocker 1): a change to the staff list takes effect from a date the
admin picks after a preview; past days and the running shift never change; swaps and leave survive;
the people affected are told."""
from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from bot.db.models import Outbox, Staff
from bot.roster.changes import swap
from bot.roster.store import effective_roster
from tests.web.helpers import post

DEC1 = date(2026, 12, 1)  # the desk's clock starts on 2026-12-01 09:00 in Shanghai (duty day 12-01)


def pairs(desk, first: date, days: int) -> dict[date, frozenset[str]]:
    with desk.session() as s:
        return {r.day: frozenset(r.staff) for r in effective_roster(s, desk.settings, first, days)}


def _staff(desk, name: str) -> Staff:
    with desk.session() as s:
        return s.scalar(select(Staff).where(Staff.name == name))


def _add(admin, name: str, start: date | None, confirm: bool = True):
    form = {"name": name, "role": "staff", "phone": "13900000099", "active": "on", "eligible": "on"}
    if start:
        form["effective_from"] = start.isoformat()
    if confirm:
        form["confirm"] = "1"
    return post(admin, "/admin/staff/add", form, token_from="/admin/staff/")


def _edit(admin, desk, name: str, start: date, **flags):
    person = _staff(desk, name)
    form = {"role": person.role, "phone": person.phone, "effective_from": start.isoformat(), "confirm": "1"}
    form.update({k: "on" for k, v in flags.items() if v})
    return post(admin, f"/admin/staff/{person.id}", form, token_from="/admin/staff/", follow_redirects=True)


def _notices(desk, text: str) -> list[Outbox]:
    with desk.session() as s:
        return [o for o in s.scalars(select(Outbox)) if text in o.text]


def test_adding_someone_changes_nothing_before_the_date_picked(console, admin):
    first = DEC1 - timedelta(days=60)
    before = pairs(console, first, 120)
    start = DEC1 + timedelta(days=9)
    page = _add(admin, "郑洁", start, confirm=False).get_data(as_text=True)
    assert "值班表变动预览：新增郑洁" in page and "12月10日（周四）" in page
    assert "郑洁还没有绑定微信" in page
    assert _staff(console, "郑洁") is None and pairs(console, first, 120) == before  # a preview saves nothing

    resp = _add(admin, "郑洁", start)
    assert resp.status_code == 302
    after = pairs(console, first, 120)
    assert {d: p for d, p in after.items() if d < start} == {d: p for d, p in before.items() if d < start}
    assert any("郑洁" in p for d, p in after.items() if start <= d < start + timedelta(days=28))
    assert not any("郑洁" in p for d, p in after.items() if d < start)
    changed = {n for d in after if d >= start and after[d] != before[d] for n in after[d] ^ before[d]}
    told = {o.recipient for o in _notices(console, "【值班表调整】因新增郑洁")}
    bound = {s.open_id for s in map(lambda n: _staff(console, n), changed) if s and s.open_id}
    assert bound and bound <= told  # (an unbound newcomer's notice waits for a channel)


def test_the_running_shift_and_the_past_cannot_be_changed(console, admin):
    on_duty = sorted(pairs(console, DEC1, 1)[DEC1])
    page = _edit(admin, console, on_duty[0], DEC1, active=False, eligible=True).get_data(as_text=True)
    assert "生效日期最早为12月2日（周三）" in page
    assert _staff(console, on_duty[0]).active  # refused: nothing saved


def test_deactivating_takes_effect_from_the_date_and_keeps_today(console, admin):
    today = pairs(console, DEC1, 1)[DEC1]
    leaving = sorted(today)[0]
    start = DEC1 + timedelta(days=1)
    preview = post(admin, f"/admin/staff/{_staff(console, leaving).id}",
                   {"role": "staff", "phone": "", "effective_from": start.isoformat()}, token_from="/admin/staff/")
    assert f"停用{leaving}" in preview.get_data(as_text=True)
    _edit(admin, console, leaving, start, active=False)
    after = pairs(console, DEC1, 60)
    assert after[DEC1] == today  # the running shift is history
    assert not any(leaving in p for d, p in after.items() if d >= start)
    assert all(len(p) == 2 for p in after.values())


def test_swaps_survive_staff_changes_even_reactivation(console, admin):
    day = DEC1 + timedelta(days=14)
    out = sorted(pairs(console, day, 1)[day])[0]
    busy = set().union(*pairs(console, day - timedelta(days=2), 5).values())
    partner = next(n for n in ("王芳", "李娜", "刘洋", "陈静", "吴刚", "徐丽", "黄强") if n not in busy)
    with console.session() as s:
        swap(s, day, out, partner, "boss", console.clock.now(), settings=console.settings)
    assert partner in pairs(console, day, 1)[day]
    leaver = next(n for n in ("刘洋", "陈静", "吴刚", "徐丽", "黄强") if n not in (out, partner))
    _edit(admin, console, leaver, DEC1 + timedelta(days=3), active=False)
    _add(admin, "郑洁", DEC1 + timedelta(days=5))
    _edit(admin, console, leaver, DEC1 + timedelta(days=10), active=True, eligible=True)
    with console.session() as s:
        got = effective_roster(s, console.settings, day, 1)[0]
    assert partner in got.staff and out not in got.staff
    assert not [n for n in got.notes if "无法执行" in n]


def test_flash_says_from_when_and_how_many_were_told(console, admin):
    page = _add(admin, "郑洁", DEC1 + timedelta(days=3)).headers["Location"]
    text = admin.get(page).get_data(as_text=True)
    assert "值班表自12月4日（周五）起调整" in text and "已通知" in text


def test_user_add_joins_the_roster_only_from_the_date_given(console, tmp_path):
    from click.testing import CliRunner

    from bot.cli import cli
    from tests.web.test_users_cli import _write_config

    config = _write_config(tmp_path, console.settings.database.url)
    first = date.today() - timedelta(days=30)  # the command runs on the real clock
    before = pairs(console, first, 90)
    run = lambda *args: CliRunner().invoke(cli, ["user", "add", *args, "--config", config],  # noqa: E731
                                           input="a-long-password\n")
    plain = run("郑洁", "--password-stdin")
    assert plain.exit_code == 0 and "未排入值班表" in plain.output, plain.output
    assert pairs(console, first, 90) == before and not _staff(console, "郑洁").eligible

    start = date.today() + timedelta(days=7)
    dry = run("郑洁", "--from", start.isoformat(), "--dry-run")
    assert dry.exit_code == 0 and "值班表变动预览：新增郑洁" in dry.output and "未保存" in dry.output
    assert pairs(console, first, 90) == before
    placed = run("郑洁", "--password-stdin", "--from", start.isoformat())
    assert placed.exit_code == 0 and "已排入值班表" in placed.output, placed.output
    after = pairs(console, first, 90)
    assert {d: p for d, p in after.items() if d < start} == {d: p for d, p in before.items() if d < start}
    assert any("郑洁" in p for d, p in after.items() if d >= start)
    # two days back is in the past in every time zone and at any hour (the shift changes at 08:30)
    past = run("李四", "--password-stdin", "--from", (date.today() - timedelta(days=2)).isoformat())
    assert past.exit_code != 0 and "生效日期最早为" in past.output
