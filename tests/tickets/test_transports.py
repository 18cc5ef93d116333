"""Real network adapters refuse to run in tests unless they point at 127.0.0.1."""
from __future__ import annotations

import pytest

from bot.wechat.api import DbTokenStorage, LinliWeChatClient
from bot.outbox.transports import Delivery, DeliveryError, WeComRobot, build_transports
from tests.tickets.conftest import make_desk


def test_the_wechat_client_refuses_the_real_api_under_pytest(db_url):
    desk = make_desk(db_url, None)
    storage = DbTokenStorage(desk.services.session_factory, "wxappid", desk.clock)
    with pytest.raises(RuntimeError, match="refusing"):
        LinliWeChatClient("wxappid", "secret", storage, "https://api.weixin.qq.com/cgi-bin/", 1.0)
    desk.settings.outbox.transport = "wechat"
    with pytest.raises(RuntimeError, match="refusing"):
        build_transports(desk.services)  # config.yaml points at the real API
    desk.close()


def test_the_wecom_robot_refuses_a_real_url_under_pytest():
    with pytest.raises(RuntimeError, match="refusing"):
        WeComRobot("https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", 1.0)


def test_every_call_goes_to_the_configured_base_url(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat)
    transports = build_transports(desk.services)
    transports.send(Delivery(1, "customer_service", "o_x", "你好"))
    assert [r.path for r in fake_wechat.requests] == ["/cgi-bin/token", "/cgi-bin/message/custom/send"]
    assert fake_wechat.requests[0].query["appid"] == desk.settings.wechat.appid
    desk.close()


def test_a_wechat_error_becomes_a_delivery_error_with_its_code(db_url, fake_wechat):
    desk = make_desk(db_url, fake_wechat)
    fake_wechat.fail("message/custom/send", 45015)
    with pytest.raises(DeliveryError) as info:
        build_transports(desk.services).send(Delivery(1, "customer_service", "o_x", "你好"))
    assert info.value.code == 45015 and info.value.out_of_window
    desk.close()
