"""`linli init`: a production config with fresh secrets that loads, and what to paste into WeChat."""
from __future__ import annotations

import re
import stat

import pytest
import yaml
from click.testing import CliRunner

from bot.cli import cli
from bot.commands.doctor_checks import check_config
from bot.config import load_settings

FLAGS = ["--name", "锦绣城社区24小时微服务奉献岗", "--duty-phone", "0371-67830000"]


def init(tmp_path, *extra):
    return CliRunner().invoke(cli, ["init", str(tmp_path / "site"), *FLAGS, *extra])


def test_init_writes_a_private_production_config_that_loads(tmp_path, no_linli_env):
    result = init(tmp_path, "--appid", "wx1234567890abcd", "--appsecret", "s3cret")
    assert result.exit_code == 0, result.output
    path = tmp_path / "site" / "config.yaml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    settings = load_settings(path)
    wx = settings.wechat
    assert re.fullmatch(r"[A-Za-z0-9]{43}", wx.aes_key) and re.fullmatch(r"[A-Za-z0-9]{32}", wx.token)
    assert len(settings.web.secret_key) >= 32 and settings.web.simulator is False
    assert settings.outbox.transport == "wechat" and settings.desk.duty_phone == "0371-67830000"
    assert check_config(settings).status == "ok"
    assert getattr(wx, "mode", "safe") == "safe" and getattr(settings.web, "proxy_hops", 1) == 1


def test_init_prints_what_to_paste_into_the_wechat_admin_page(tmp_path, no_linli_env):
    result = init(tmp_path, "--public-url", "https://linli.example.cn/")
    data = yaml.safe_load((tmp_path / "site" / "config.yaml").read_text(encoding="utf-8"))
    out = result.output
    assert "URL：            https://linli.example.cn/wechat" in out
    assert f"Token：          {data['wechat']['token']}" in out
    assert f"EncodingAESKey： {data['wechat']['aes_key']}" in out
    assert "安全模式" in out and "linli db upgrade" in out and "linli doctor" in out
    assert "AppID" in out  # not given: the reader is told where to find it


def test_every_init_has_new_secrets_and_comments_in_both_languages(tmp_path, no_linli_env):
    init(tmp_path / "a")
    init(tmp_path / "b")
    a, b = ((tmp_path / d / "site" / "config.yaml").read_text(encoding="utf-8") for d in "ab")
    ya, yb = yaml.safe_load(a), yaml.safe_load(b)
    assert ya["wechat"]["token"] != yb["wechat"]["token"] and ya["web"]["secret_key"] != yb["web"]["secret_key"]
    assert "# 数据库 / database" in a and "公众号后台" in a


def test_init_refuses_to_overwrite_and_asks_for_missing_flags(tmp_path, no_linli_env):
    assert init(tmp_path).exit_code == 0
    before = (tmp_path / "site" / "config.yaml").read_text(encoding="utf-8")
    again = init(tmp_path)
    assert again.exit_code != 0 and "已存在" in again.output
    assert (tmp_path / "site" / "config.yaml").read_text(encoding="utf-8") == before
    bare = CliRunner().invoke(cli, ["init", str(tmp_path / "other")])
    assert bare.exit_code != 0 and "--name" in bare.output


@pytest.mark.parametrize("flag,value,words", [
    ("--timezone", "Mars/Base", "未知时区"), ("--database", "mysql://x/y", "PostgreSQL"),
])
def test_init_refuses_bad_values(tmp_path, no_linli_env, flag, value, words):
    result = init(tmp_path, flag, value)
    assert result.exit_code != 0 and words in result.output
    assert not (tmp_path / "site" / "config.yaml").exists()


def test_postgresql_url_is_written_as_given(tmp_path, no_linli_env):
    url = "postgresql+psycopg://linli:pw@127.0.0.1/linli"
    init(tmp_path, "--database", url)
    assert load_settings(tmp_path / "site" / "config.yaml").database.url == url


def test_data_files_live_beside_the_config_not_in_the_package(tmp_path, no_linli_env):
    init(tmp_path)
    settings = load_settings(tmp_path / "site" / "config.yaml")
    site = str((tmp_path / "site").resolve())
    assert settings.database.url == f"sqlite:///{site}/var/linli.db"
    cache = settings.faq.embedding_cache
    assert cache is None or cache == f"{site}/var/embeddings.sqlite"


def test_on_a_terminal_init_asks_for_what_flags_did_not_give(tmp_path, no_linli_env, monkeypatch):
    monkeypatch.setattr("bot.commands.init._interactive", lambda: True)
    result = CliRunner().invoke(cli, ["init", str(tmp_path / "site")], input="幸福里社区服务岗\n0371-11112222\n")
    assert result.exit_code == 0, result.output
    desk = load_settings(tmp_path / "site" / "config.yaml").desk
    assert desk.name == "幸福里社区服务岗" and desk.duty_phone == "0371-11112222"


def test_the_escalation_ladder_is_the_demo_configs(tmp_path, no_linli_env):
    """The ladder is written out in full (its code defaults are empty): it must not drift from config.yaml."""
    from pathlib import Path

    init(tmp_path)
    written = yaml.safe_load((tmp_path / "site" / "config.yaml").read_text(encoding="utf-8"))
    demo = yaml.safe_load((Path(__file__).parents[2] / "config.yaml").read_text(encoding="utf-8"))
    assert written["escalation"] == demo["escalation"]
