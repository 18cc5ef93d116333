"""Finding 2: with the simulator off (production) the DEMO secrets and the demo password refuse to start."""
from __future__ import annotations

import os
import subprocess
import sys

import pytest
import yaml
from click.testing import CliRunner

from bot.config import ConfigError
from bot.db import make_engine, make_session_factory, transaction
from bot.production import DEMO_SECRETS, refuse_demo_values
from tests.support.harness import ROOT
from tests.support.harness import test_settings as settings_for

OWN = {"wechat.token": "prodtoken123", "wechat.aes_key": "Q" * 43, "wechat.appsecret": "s3cr3t-prod",
       "web.secret_key": "a-real-secret-key-of-some-length"}


def _production(db_url, **extra):
    return settings_for(db_url, **{"web.simulator": False, **OWN, **extra})


def _factory(db_url):
    return make_session_factory(make_engine(db_url, null_pool=True))


def test_shipped_config_holds_exactly_the_demo_values():
    """The refusal list and config.yaml must not drift apart."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    for dotted, demo in DEMO_SECRETS.items():
        section, key = dotted.split(".")
        assert data[section][key] in demo, dotted


@pytest.mark.parametrize("dotted", sorted(DEMO_SECRETS))
def test_each_demo_secret_is_refused_in_one_line(db_url, dotted):
    settings = _production(db_url, **{dotted: next(iter(DEMO_SECRETS[dotted]))})
    with pytest.raises(ConfigError) as err:
        refuse_demo_values(settings, _factory(db_url))
    assert dotted in str(err.value) and "DEMO" in str(err.value) and "\n" not in str(err.value)


def test_demo_mode_keeps_its_public_values(db_url):
    refuse_demo_values(settings_for(db_url), _factory(db_url))  # simulator on: nothing to refuse


def test_an_account_left_with_the_demo_password_is_refused_until_passwd(db_url, tmp_path):
    from bot.web.users import ensure_user

    factory = _factory(db_url)
    with transaction(factory) as s:  # what `make run` (demo mode) left in the database
        ensure_user(s, "admin", "linli-demo", "admin")
    settings = _production(db_url)
    with pytest.raises(ConfigError, match=r"admin .*linli user passwd admin"):
        refuse_demo_values(settings, factory)
    config = tmp_path / "prod.yaml"
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["database"]["url"] = db_url
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = _linli(["user", "passwd", "admin", "--password-stdin", "--config", str(config)], "linli-demo\n")
    assert result.exit_code != 0 and "演示密码" in result.output  # the demo password is not a new one
    result = _linli(["user", "passwd", "nobody", "--password-stdin", "--config", str(config)], "N3w-passw0rd\n")
    assert result.exit_code != 0 and "nobody" in result.output
    result = _linli(["user", "passwd", "admin", "--password-stdin", "--config", str(config)], "N3w-passw0rd\n")
    assert result.exit_code == 0, result.output
    refuse_demo_values(settings, factory)  # now it starts


def _linli(args, stdin):
    from bot import commands  # noqa: F401  (registers the subcommands)
    from bot.cli import cli

    return CliRunner().invoke(cli, args, input=stdin, obj={})


def test_gunicorn_entry_point_exits_with_one_line_on_demo_secrets(tmp_path):
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["database"]["url"] = f"sqlite:///{tmp_path / 'prod.db'}"
    data["web"]["simulator"] = False
    config = tmp_path / "prod.yaml"
    config.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith("LINLI_")}
    env.update(LINLI_CONFIG=str(config), LINLI_SPOOL_DIR=str(tmp_path / "spool"), PYTHONPATH=str(ROOT))
    proc = subprocess.run([sys.executable, "-c", "import bot.wsgi"], cwd=tmp_path, env=env,
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2, proc.stderr[-2000:]
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "DEMO" in lines[0] and "LINLI_" in lines[0], lines
