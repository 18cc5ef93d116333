"""Transports the outbox dispatcher sends through: WeChat customer service, template, WeCom robot, local."""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field

import requests
from wechatpy.exceptions import WeChatClientException

from bot.tickets import messages as M
from bot.wechat.api import TokenUnavailable, make_client, refuse_real_network_in_tests

log = logging.getLogger("linli.transport")

OUT_OF_WINDOW = {45015, 45047}  # the 48-hour customer-service window has passed / too many messages


@dataclass(frozen=True)
class Delivery:
    """One claimed outbox row, detached from the database while it is being sent."""

    id: int
    channel: str
    recipient: str
    text: str
    ticket_id: int | None = None
    payload: dict = field(default_factory=dict)


class DeliveryError(Exception):
    """A send failed; `code` is WeChat's errcode when there is one."""

    def __init__(self, message: str, code: int | None = None):
        super().__init__(message)
        self.code = code

    @property
    def out_of_window(self) -> bool:
        return self.code in OUT_OF_WINDOW


def _wechat_call(fn, *args):
    try:
        return fn(*args)
    except WeChatClientException as exc:
        raise DeliveryError(f"WeChat error {exc.errcode}: {exc.errmsg}", exc.errcode) from None
    except TokenUnavailable as exc:
        raise DeliveryError(str(exc)) from None
    except requests.RequestException as exc:
        raise DeliveryError(f"network: {exc.__class__.__name__}: {exc}") from None


class CustomerService:
    """客服消息: a text to a user who wrote within the last 48 hours."""

    def __init__(self, client):
        self.client = client

    def send(self, d: Delivery) -> None:
        _wechat_call(self.client.message.send_text, d.recipient, d.text)


class Template:
    """模板消息: the fallback outside the 48-hour window (needs outbox.template_id)."""

    def __init__(self, client, template_id: str | None):
        self.client, self.template_id = client, template_id

    def send(self, d: Delivery) -> None:
        if not self.template_id:
            raise DeliveryError("no outbox.template_id configured")
        first = M.TEMPLATE_FIRST_STAFF if d.payload.get("kind") == "staff" else M.TEMPLATE_FIRST
        data = {"first": {"value": first},
                "keyword1": {"value": f"#{d.ticket_id}" if d.ticket_id else "-"},
                "keyword2": {"value": d.text[:180]},
                "remark": {"value": M.TEMPLATE_REMARK}}
        _wechat_call(self.client.message.send_template, d.recipient, self.template_id, data)


class WeComRobot:
    """企业微信群机器人: staff notifications posted to the duty group, @-mentioning by phone."""

    def __init__(self, url: str | None, timeout: float):
        if url:
            refuse_real_network_in_tests(url)
        self.url, self.timeout = url, timeout

    def send(self, d: Delivery) -> None:
        if not self.url:
            raise DeliveryError("no outbox.wecom_robot_url configured")
        body = {"msgtype": "text", "text": {"content": d.text,
                                            "mentioned_mobile_list": list(d.payload.get("mobiles", []))}}
        try:
            res = requests.post(self.url, json=body, timeout=self.timeout)
            res.raise_for_status()
            result = res.json()
        except (requests.RequestException, ValueError) as exc:
            raise DeliveryError(f"WeCom robot: {exc.__class__.__name__}: {exc}") from None
        if result.get("errcode"):
            raise DeliveryError(f"WeCom robot error {result['errcode']}: {result.get('errmsg')}", result["errcode"])


class Local:
    """The demo transport: delivery is recording the message (the simulator shows sent rows)."""

    def __init__(self, keep: int = 500):
        self.delivered: deque[Delivery] = deque(maxlen=keep)

    def send(self, d: Delivery) -> None:
        log.info("local delivery to %s (%s): %s", d.recipient, d.channel, d.text[:60])
        self.delivered.append(d)


class Transports:
    """Picks the transport for a delivery's channel."""

    def __init__(self, by_channel: dict, default=None):
        self.by_channel, self.default = by_channel, default

    def send(self, d: Delivery) -> None:
        transport = self.by_channel.get(d.channel, self.default)
        if transport is None:
            raise DeliveryError(f"no transport for channel {d.channel!r}")
        transport.send(d)


def build_transports(services) -> Transports:
    """settings.outbox.transport: 'local' (demo) or 'wechat' (the real API at wechat.api_base_url)."""
    out = services.settings.outbox
    if out.transport == "local":
        return Transports({}, default=Local())
    client = make_client(services)
    return Transports({
        "customer_service": CustomerService(client),
        "template": Template(client, out.template_id),
        "wecom_robot": WeComRobot(out.wecom_robot_url, out.send_timeout_s),
        "local": Local(),
    })
