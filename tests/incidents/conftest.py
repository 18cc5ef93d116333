"""Fixtures for incident tests: the desk behind its webhook, outbox sent to a fake WeChat API."""
from __future__ import annotations

import pytest

from tests.support.fakes.fake_wechat import FakeWeChat
from tests.incidents.support import make_incident_desk


@pytest.fixture
def fake_wechat():
    fake = FakeWeChat().start()
    yield fake
    fake.stop()


@pytest.fixture
def wx(db_url, fake_wechat):
    """(desk, fake): duty pair 王芳 + 李娜, safe-mode webhook, outbox to the fake API."""
    # A generous send timeout: on a loaded machine a 5 s client timeout on a send the fake API did
    # accept would be retried (at-least-once) and count as a second message.
    desk = make_incident_desk(db_url, fake_wechat, **{"outbox.send_timeout_s": 30.0})
    yield desk, fake_wechat
    desk.close()
