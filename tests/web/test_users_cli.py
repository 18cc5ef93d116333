"""`linli user add` creates a console login."""
from __future__ import annotations

from click.testing import CliRunner
from sqlalchemy import select

from bot.cli import cli
from bot.db import make_engine, make_session_factory, transaction
from bot.db.models import Staff
from bot.web.passwords import verify_password


def _write_config(tmp_path, db_url) -> str:
    import yaml

    from tests.support.harness import ROOT

    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["database"]["url"] = db_url
    path = tmp_path / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return str(path)


def _staff(db_url, name):
    engine = make_engine(db_url, null_pool=True)
    try:
        with transaction(make_session_factory(engine)) as s:
            return s.scalar(select(Staff).where(Staff.name == name))
    finally:
        engine.dispose()


def test_user_add_with_password_from_stdin(tmp_path, db_url):
    config = _write_config(tmp_path, db_url)
    result = CliRunner().invoke(cli, ["user", "add", "secretary", "--role", "admin", "--password-stdin",
                                      "--config", config], input="s3cret-pass-word\n")
    assert result.exit_code == 0, result.output
    staff = _staff(db_url, "secretary")
    assert staff.role == "admin" and verify_password(staff.password_hash, "s3cret-pass-word")
    assert not staff.eligible  # a new admin account takes no duty


def test_user_add_refuses_a_short_password(tmp_path, db_url):
    config = _write_config(tmp_path, db_url)
    result = CliRunner().invoke(cli, ["user", "add", "x", "--password-stdin", "--config", config], input="short\n")
    assert result.exit_code != 0 and "至少" in result.output
    assert _staff(db_url, "x") is None


def test_user_add_prompts_twice_for_the_password(tmp_path, db_url):
    config = _write_config(tmp_path, db_url)
    result = CliRunner().invoke(cli, ["user", "add", "组长甲", "--role", "lead", "--config", config],
                                input="first-password\nfirst-password\n")
    assert result.exit_code == 0, result.output
    staff = _staff(db_url, "组长甲")
    assert staff.role == "lead" and verify_password(staff.password_hash, "first-password")
