"""Config search order and packaged resources: every problem is one line that names the fix."""
from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from bot import resources
from bot.cli import cli
from bot.config import ConfigError, load_settings
from tests.commands.conftest import write_config

ORDER = "--config, $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml"


@pytest.fixture
def places(tmp_path, monkeypatch, no_linli_env):
    """Four candidate places; /etc/linli is a folder under tmp_path for the test."""
    etc = tmp_path / "etc" / "config.yaml"
    monkeypatch.setattr(resources, "ETC_CONFIG", etc)
    cwd = tmp_path / "cwd"
    cwd.mkdir()
    monkeypatch.chdir(cwd)
    return {"explicit": write_config(tmp_path / "explicit"), "env": write_config(tmp_path / "env"),
            "cwd": cwd / "config.yaml", "etc": etc}


def test_the_search_order_is_flag_env_cwd_etc(places, monkeypatch):
    write_config(places["cwd"].parent)
    write_config(places["etc"].parent)
    monkeypatch.setenv("LINLI_CONFIG", str(places["env"]))
    assert load_settings(places["explicit"]).source == str(places["explicit"])
    assert load_settings().source == str(places["env"])
    monkeypatch.delenv("LINLI_CONFIG")
    assert Path(load_settings().source).resolve() == places["cwd"].resolve()
    places["cwd"].unlink()
    assert Path(load_settings().source) == places["etc"]


@pytest.mark.parametrize("how", ["nothing", "flag", "env"])
def test_config_not_found_names_the_search_order(places, monkeypatch, how):
    missing = places["cwd"].parent / "nope.yaml"
    if how == "env":
        monkeypatch.setenv("LINLI_CONFIG", str(missing))
    with pytest.raises(ConfigError) as err:
        load_settings(missing if how == "flag" else None)
    message = str(err.value)
    assert "config not found" in message and ORDER in message and "linli init" in message
    assert "\n" not in message


def test_knowledge_base_omitted_is_the_packaged_sample(tmp_path, no_linli_env):
    settings = load_settings(write_config(tmp_path))
    assert Path(settings.knowledge_base) == resources.builtin_path("sample")
    assert Path(settings.knowledge_base).is_file()


def test_builtin_names_and_null(tmp_path, no_linli_env):
    cfg = write_config(tmp_path, knowledge_base="builtin:sample", faq={"model_file": "builtin:reranker"})
    settings = load_settings(cfg)
    assert settings.faq.model_file.endswith("reranker.json")
    assert load_settings(write_config(tmp_path, knowledge_base=None)).knowledge_base is None


def test_a_relative_file_is_read_beside_the_config(tmp_path, no_linli_env):
    (tmp_path / "site").mkdir()
    (tmp_path / "site" / "faq.yaml").write_text(resources.builtin_path("sample").read_text(encoding="utf-8"),
                                                encoding="utf-8")
    settings = load_settings(write_config(tmp_path / "site", knowledge_base="faq.yaml"))
    assert settings.knowledge_base == str((tmp_path / "site" / "faq.yaml").resolve())


@pytest.mark.parametrize("key,value,words", [
    ("knowledge_base", "knowledge_base/default_faq.yaml", ["knowledge_base:", "file not found", "builtin:sample"]),
    ("knowledge_base", "builtin:nope", ["knowledge_base:", "builtin:sample, builtin:routing, builtin:reranker"]),
    ("faq", {"model_file": "models/r.json"}, ["faq.model_file:", "models/r.json", "builtin:reranker"]),
])
def test_a_missing_file_is_one_line_with_key_path_and_fix(tmp_path, no_linli_env, key, value, words):
    cfg = write_config(tmp_path, **{key: value})
    with pytest.raises(ConfigError) as err:
        load_settings(cfg)
    assert all(w in str(err.value) for w in words), str(err.value)
    assert "\n" not in str(err.value) and str(cfg) in str(err.value)


def test_a_folder_where_a_file_should_be(tmp_path, no_linli_env):
    (tmp_path / "faqdir").mkdir()
    with pytest.raises(ConfigError, match="knowledge_base: .*faqdir: is not a file"):
        load_settings(write_config(tmp_path, knowledge_base="faqdir"))


def test_the_command_line_shows_one_line_not_a_traceback(tmp_path, no_linli_env):
    cfg = write_config(tmp_path, knowledge_base="missing.yaml")
    result = CliRunner().invoke(cli, ["db", "upgrade", "--config", str(cfg)])
    assert result.exit_code != 0
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)
    assert "knowledge_base:" in result.output and "missing.yaml" in result.output


def test_a_knowledge_base_that_does_not_validate_is_one_line(tmp_path, no_linli_env, monkeypatch, capsys):
    from bot.cli import main

    (tmp_path / "faq.yaml").write_text("faqs:\n  - id: Bad Id\n", encoding="utf-8")
    cfg = write_config(tmp_path, knowledge_base="faq.yaml", database={"url": f"sqlite:///{tmp_path}/l.db"})
    monkeypatch.setattr("sys.argv", ["linli", "faq", "export", str(tmp_path / "out.yaml"), "--config", str(cfg)])
    with pytest.raises(SystemExit) as done:
        main()
    err = capsys.readouterr().err
    assert done.value.code == 2 and "knowledge_base error" in err and "faq.yaml" in err
    assert len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("url,words", [
    ("postgresql+psycopg://nobody:x@127.0.0.1:1/none", "database error"),
    ("sqlite:////proc/no-such-dir/linli.db", "file error: /proc/no-such-dir"),
])
def test_an_unusable_database_is_one_line(tmp_path, no_linli_env, monkeypatch, capsys, url, words):
    from bot.cli import main

    cfg = write_config(tmp_path, database={"url": url})
    monkeypatch.setattr("sys.argv", ["linli", "db", "upgrade", "--config", str(cfg)])
    with pytest.raises(SystemExit) as done:
        main()
    err = capsys.readouterr().err
    assert done.value.code == 2 and words in err and len(err.strip().splitlines()) == 1, err
