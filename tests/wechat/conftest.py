"""Webhook fixtures: the default desk is in safe mode; plain_desk is for tests of plaintext mode."""
from __future__ import annotations

import pytest


@pytest.fixture
def plain_desk(db_url):
    """The bot configured for 明文模式 (wechat.mode: plain), driven by a plaintext WeChat simulator."""
    from tests.support.harness import Desk, test_settings

    d = Desk(test_settings(db_url, **{"wechat.mode": "plain"}), mode="plain")
    yield d
    d.close()
