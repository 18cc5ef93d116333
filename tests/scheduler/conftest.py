"""A temporary config file on the test database, for CLI and subprocess tests."""
from __future__ import annotations

from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]


def write_config(tmp_path: Path, db_url: str, **scheduler) -> Path:
    """The repo's config.yaml, pointed at `db_url`, with scheduler overrides."""
    data = yaml.safe_load((ROOT / "config.yaml").read_text(encoding="utf-8"))
    data["database"]["url"] = db_url
    if not data["knowledge_base"].startswith("builtin:"):  # a relative path would be read beside the copy
        data["knowledge_base"] = str((ROOT / data["knowledge_base"]).resolve())
    data["scheduler"].update(scheduler)
    path = tmp_path / "linli.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def config_file(tmp_path, db_url) -> Path:
    return write_config(tmp_path, db_url)
