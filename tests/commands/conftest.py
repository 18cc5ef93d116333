"""A minimal production-like config file for command tests."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml


def write_config(directory: Path, **sections) -> Path:
    """config.yaml in `directory` with fresh-looking values; keyword args replace whole top-level keys."""
    data = {
        "database": {"url": "sqlite:///var/linli.db"},
        "wechat": {"token": "tok123token", "aes_key": "a" * 43, "appid": "wxcommandtest", "appsecret": "sec"},
        "web": {"secret_key": "0123456789abcdef0123", "simulator": False},
    }
    data.update(sections)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / "config.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def no_linli_env(monkeypatch):
    """Settings come from the file only (a developer's LINLI_* variables must not leak in)."""
    import os

    for key in [k for k in os.environ if k.startswith("LINLI_") and not k.startswith("LINLI_TEST")]:
        monkeypatch.delenv(key)
