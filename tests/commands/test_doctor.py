"""`linli doctor`: each check healthy and failing, and the whole command's lines and exit code."""
from __future__ import annotations

import threading
from datetime import date, datetime, timedelta, timezone

import pytest
from click.testing import CliRunner
from werkzeug.serving import make_server

from bot.cli import cli
from bot.commands import doctor_desk
from bot.commands.doctor_checks import check_config, check_database, check_lease, check_outbox
from bot.commands.doctor_desk import check_duty_channels, check_holidays, check_spool, check_spool_disk
from bot.commands.doctor_wechat import check_api, check_url
from bot.config import load_settings
from bot.db import make_engine, make_session_factory, transaction, upgrade
from bot.db.models import AccessToken, Outbox, SchedulerLease, Staff
from tests.commands.conftest import write_config
from tests.support.fakes.fake_wechat import FakeWeChat

NOW = datetime(2026, 6, 1, 2, 0, tzinfo=timezone.utc)  # 10:00 in Shanghai, a date chinese-calendar knows


@pytest.fixture
def fake():
    f = FakeWeChat().start()
    yield f
    f.stop()


@pytest.fixture
def settings_for(tmp_path, db_url, no_linli_env, fake):
    """Settings of a production-like config on the test database, with section overrides."""
    def make(**sections):
        sections.setdefault("database", {"url": db_url})
        sections.setdefault("outbox", {"transport": "wechat"})
        wx = {"token": "doctortoken1", "aes_key": "b" * 43, "appid": "wxdoctor", "appsecret": "sec",
              "api_base_url": fake.base_url}
        sections["wechat"] = {**wx, **sections.get("wechat", {})}
        return load_settings(write_config(tmp_path / "site", **sections))
    return make


@pytest.fixture
def session(db_url):
    engine = make_engine(db_url, null_pool=True)
    factory = make_session_factory(engine)
    yield lambda: transaction(factory)
    engine.dispose()


# ---- config -------------------------------------------------------------------------------
def test_config_check(settings_for):
    assert check_config(settings_for()).status == "ok"
    assert check_config(settings_for(web={"secret_key": "x" * 20, "simulator": True})).status == "fail"
    demo = check_config(settings_for(wechat={"token": "linli-demo-token"}))
    assert demo.status == "fail" and "wechat.token" in demo.detail
    blank = check_config(settings_for(wechat={"appid": "wx_fill_in_appid"}))
    assert blank.status == "fail" and "wechat.appid" in blank.detail


def test_config_check_refuses_a_console_account_with_the_demo_password(settings_for, db_url):
    from bot.web.passwords import hash_password

    engine = make_engine(db_url, null_pool=True)
    factory = make_session_factory(engine)
    assert check_config(settings_for(), factory).status == "ok"
    with transaction(factory) as s:
        s.add(Staff(name="admin", phone="", password_hash=hash_password("linli-demo"), role="admin"))
    result = check_config(settings_for(), factory)
    engine.dispose()
    assert result.status == "fail" and "admin" in result.detail and "linli user passwd" in result.detail


# ---- database -----------------------------------------------------------------------------
def test_database_check_healthy(db_url):
    engine = make_engine(db_url, null_pool=True)
    assert check_database(engine).status == "ok"
    engine.dispose()


@pytest.mark.parametrize("state,words", [("missing", "不存在"), ("empty", "还没有建表"), ("old", "结构不是最新"),
                                         ("away", "无法连接")])
def test_database_check_failing(tmp_path, state, words):
    url = "postgresql+psycopg://nobody@127.0.0.1:1/none" if state == "away" else f"sqlite:///{tmp_path}/x.db"
    if state == "old":
        upgrade(url, "0001")
    if state == "empty":
        (tmp_path / "x.db").touch()
    engine = make_engine(url, null_pool=True)
    result = check_database(engine)
    engine.dispose()
    assert result.status == "fail" and words in result.detail
    assert state == "away" or "linli db upgrade" in result.detail
    assert state != "missing" or not (tmp_path / "x.db").exists()  # the check did not create it


# ---- the public URL -----------------------------------------------------------------------
@pytest.fixture
def served(db_url):
    """The real app on a real port (the Desk harness's, clock at 2026-12-01 09:00)."""
    from tests.support.harness import Desk, test_settings

    desk = Desk(test_settings(db_url))
    server = make_server("127.0.0.1", 0, desk.app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield desk, f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    desk.close()


def test_url_check(served):
    desk, base = served
    ts = int(desk.clock.now().timestamp())
    assert check_url(f"{base}/wechat", desk.settings.wechat.token, ts).status == "ok"
    wrong = check_url(f"{base}/wechat", "another-token", ts)
    assert wrong.status == "fail" and "Token" in wrong.detail
    assert "/wechat" in check_url(f"{base}/nowhere", desk.settings.wechat.token, ts).detail
    assert check_url("http://127.0.0.1:1/wechat", "t", ts).status == "fail"
    assert check_url(None, "t", ts).status == "skip"


# ---- WeChat API ---------------------------------------------------------------------------
def test_api_check_healthy_keeps_the_token(settings_for, fake):
    kept = []
    result = check_api(settings_for(), lambda token, ttl: kept.append((token, ttl)))
    assert result.status == "ok" and kept == [(fake.issued[0], 7200)]


@pytest.mark.parametrize("code,errmsg,words", [
    (40164, "invalid ip 203.0.113.7 ipv6 ::ffff:203.0.113.7, not in whitelist", ["IP白名单", "203.0.113.7"]),
    (40125, "invalid appsecret", ["AppSecret 不正确", "wechat.appsecret"]),
    (45009, "api freq out of limit", ["45009", "api freq out of limit"]),
])
def test_api_check_explains_errors(settings_for, fake, monkeypatch, code, errmsg, words):
    original = fake._answer  # WeChat's own errmsg text (the fake's fail() has a generic one)
    monkeypatch.setattr(fake, "_answer", lambda path, query: {"errcode": code, "errmsg": errmsg}
                        if path.endswith("/token") else original(path, query))
    result = check_api(settings_for())
    assert result.status == "fail" and all(w in result.detail for w in words), result.detail


def test_api_check_unreachable_and_local_transport(settings_for):
    away = check_api(settings_for(wechat={"api_base_url": "http://127.0.0.1:1/cgi-bin/"}))
    assert away.status == "fail" and "无法连接" in away.detail
    assert check_api(settings_for(outbox={"transport": "local"})).status == "warn"


# ---- scheduler lease and outbox ------------------------------------------------------------
def test_lease_check(settings_for, session):
    settings = settings_for()
    with session() as s:
        assert check_lease(s, settings, NOW).status == "fail"  # never ran
        s.add(SchedulerLease(name="scheduler", holder="host:1:abc", expires_at=NOW + timedelta(seconds=15), fencing=1))
    with session() as s:
        assert check_lease(s, settings, NOW).status == "ok"
        stale = check_lease(s, settings, NOW + timedelta(minutes=5))
        assert stale.status == "fail" and "host:1:abc" in stale.detail


def outbox_row(at: datetime, **kw) -> Outbox:
    return Outbox(**{"created_at": at, "channel": "customer_service", "recipient": "o_x", "text": "hi",
                     "next_attempt_at": at, **kw})


def test_outbox_check(session):
    with session() as s:
        assert check_outbox(s, NOW).status == "ok"
        s.add(outbox_row(NOW - timedelta(hours=3), next_attempt_at=NOW + timedelta(hours=5)))  # held: not late
        s.add(outbox_row(NOW - timedelta(minutes=1)))
    with session() as s:
        assert check_outbox(s, NOW).status == "ok"
        s.add(outbox_row(NOW - timedelta(minutes=40), attempts=3, next_attempt_at=NOW + timedelta(minutes=2)))
    with session() as s:
        late = check_outbox(s, NOW)
        assert late.status == "fail" and "2 条消息未送出" in late.detail and "40 分钟" in late.detail


def test_outbox_check_warns_about_messages_given_up(session):
    with session() as s:
        s.add(outbox_row(NOW - timedelta(hours=2), status="failed", attempts=8))
        s.add(outbox_row(NOW - timedelta(days=3), status="failed", attempts=8))  # older than a day: not counted
    with session() as s:
        result = check_outbox(s, NOW)
    assert result.status == "warn" and "近24小时有 1 条" in result.detail


# ---- duty channels, holidays, spool, disk --------------------------------------------------
def add_staff(session, *people):
    with session() as s:
        for i, (name, open_id) in enumerate(people):
            s.add(Staff(name=name, phone=f"1380000000{i}", open_id=open_id, rotation_order=i))


def test_duty_channels_check(settings_for, session):
    settings = settings_for()
    with session() as s:
        assert check_duty_channels(s, settings, NOW.date()).status == "fail"  # nobody at all
    add_staff(session, ("张伟", "o_zw"), ("王芳", None))
    with session() as s:
        nobody = check_duty_channels(s, settings, NOW.date())
        assert nobody.status == "fail" and "王芳" in nobody.detail and "张伟" not in nobody.detail
        s.get(Staff, 2).open_id = "o_wf"
    with session() as s:
        assert check_duty_channels(s, settings, NOW.date()).status == "warn"  # 48-hour window only
    robot = settings_for(outbox={"transport": "wechat", "wecom_robot_url": "http://127.0.0.1:9/robot"})
    with session() as s:
        assert check_duty_channels(s, robot, NOW.date()).status == "ok"


def test_holiday_check(settings_for):
    assert check_holidays(settings_for(), date(2026, 6, 1)).status == "ok"
    far = check_holidays(settings_for(), date(2035, 12, 1))
    assert far.status == "warn" and "2036" in far.detail and "holiday_overrides" in far.detail
    covered = settings_for(roster={"holiday_overrides": {"2035-12-31": "holiday", "2036-01-01": "holiday"}})
    assert check_holidays(covered, date(2035, 12, 1)).status == "ok"


def test_spool_checks(settings_for, tmp_path, monkeypatch):
    from bot.spool import spool_dir

    monkeypatch.setenv("LINLI_SPOOL_DIR", str(tmp_path / "spool"))
    settings = settings_for()
    assert check_spool(settings).status == "ok"
    folder = spool_dir(settings)
    folder.mkdir(parents=True)
    (folder / "spool-host-1.jsonl").write_text('{"a": 1}\n{"b": 2}\n', encoding="utf-8")
    waiting = check_spool(settings)
    assert waiting.status == "warn" and "2 条消息" in waiting.detail
    assert check_spool_disk(settings).status == "ok"
    monkeypatch.setattr(doctor_desk.shutil, "disk_usage", lambda _p: type("U", (), {"free": 50 * 1024 ** 2})())
    assert check_spool_disk(settings).status == "fail"
    monkeypatch.setattr(doctor_desk.os, "access", lambda _p, _mode: False)  # tests run as root: pretend
    unwritable = check_spool_disk(settings)
    assert unwritable.status == "fail" and "LINLI_SPOOL_DIR" in unwritable.detail


# ---- the command ----------------------------------------------------------------------------
def test_doctor_all_green_exits_0(settings_for, session, fake, tmp_path, monkeypatch):
    monkeypatch.setenv("LINLI_SPOOL_DIR", str(tmp_path / "spool"))
    settings = settings_for(outbox={"transport": "wechat", "wecom_robot_url": "http://127.0.0.1:9/robot"})
    upgrade(settings.database.url)
    add_staff(session, ("张伟", "o_zw"), ("王芳", "o_wf"))
    now = datetime.now(timezone.utc)
    with session() as s:
        s.add(SchedulerLease(name="scheduler", holder="host:1:abc", expires_at=now + timedelta(seconds=15), fencing=1))
    result = CliRunner().invoke(cli, ["doctor", "--config", settings.source])
    lines = result.output.splitlines()
    assert result.exit_code == 0 or "[注意] 节假日" in result.output, result.output  # next year's data may lag
    assert all(line.startswith(("[正常]", "[跳过]", "[注意] 节假日")) for line in lines[:-1]), result.output
    assert len(lines) == 11 and "access_token" in result.output
    with session() as s:
        assert s.get(AccessToken, "wxdoctor").token == fake.issued[-1]  # the dispatcher will use it


def test_doctor_failing_exits_2_one_line_each(tmp_path, no_linli_env):
    cfg = write_config(tmp_path, database={"url": "postgresql+psycopg://nobody@127.0.0.1:1/none"},
                       wechat={"token": "linli-demo-token", "appid": "wxdemo0000000000", "appsecret": "x",
                               "aes_key": "9uK9bbqNgo9RT2wU7Ih32peQePs35nizCLdIcPXKuKQ"})
    result = CliRunner().invoke(cli, ["doctor", "--config", str(cfg)])
    assert result.exit_code == 2
    assert "[失败] 配置" in result.output and "[失败] 数据库：无法连接" in result.output
    assert "[跳过] 调度程序" in result.output and "Traceback" not in result.output
    missing = CliRunner().invoke(cli, ["doctor", "--config", str(tmp_path / "none.yaml")])
    assert missing.exit_code == 2 and "[失败] 配置" in missing.output and "/etc/linli/config.yaml" in missing.output
