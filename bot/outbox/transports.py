"""Transports the outbox dispatcher sends through: WeChat customer service, template, WeCom robot, local."""
from __future__ import annotations

import logging
from collections import deque
from dataclasses import dataclass, field, replace

import requests
from wechatpy.exceptions import WeChatClientException

from bot.texts import TEMPLATE_FIRST, TEMPLATE_FIRST_STAFF, TEMPLATE_REMARK
from bot.redact import redact
from bot.wechat.api import TokenUnavailable, make_client, refuse_real_network_in_tests
from bot.wechat.deadline_http import mount_deadline_adapter, total_deadline
from bot.wechat.wecom import make_wecom_client

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
        super().__init__(redact(message))  # it ends up in logs and outbox.last_error
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
        first = TEMPLATE_FIRST_STAFF if d.payload.get("kind") == "staff" else TEMPLATE_FIRST
        data = {"first": {"value": first},
                "keyword1": {"value": f"#{d.ticket_id}" if d.ticket_id else "-"},
                "keyword2": {"value": d.text[:180]},
                "remark": {"value": TEMPLATE_REMARK}}
        _wechat_call(self.client.message.send_template, d.recipient, self.template_id, data)


class WeComRobot:
    """企业微信群机器人: staff notifications posted to the duty group, @-mentioning by phone."""

    def __init__(self, url: str | None, timeout: float):
        if url:
            refuse_real_network_in_tests(url)
        self.url, self.timeout = url, timeout
        self._http = mount_deadline_adapter(requests.Session())

    def send(self, d: Delivery) -> None:
        if not self.url:
            raise DeliveryError("no outbox.wecom_robot_url configured")
        body = {"msgtype": "text", "text": {"content": d.text,
                                            "mentioned_mobile_list": list(d.payload.get("mobiles", []))}}
        try:
            with total_deadline(self.timeout):  # the whole call, not each read
                res = self._http.post(self.url, json=body, timeout=self.timeout)
                res.raise_for_status()
                result = res.json()
        except (requests.RequestException, ValueError) as exc:
            raise DeliveryError(f"WeCom robot: {exc.__class__.__name__}: {exc}") from None
        if result.get("errcode"):
            raise DeliveryError(f"WeCom robot error {result['errcode']}: {result.get('errmsg')}", result["errcode"])


class WeComApp:
    """企业微信应用消息: a text to one staff member's WeCom account (payload wecom_user)."""

    def __init__(self, client, agent_id: int):
        self.client, self.agent_id = client, agent_id

    def send(self, d: Delivery) -> None:
        user = d.payload.get("wecom_user") or d.recipient
        result = _wechat_call(self.client.message.send_text, self.agent_id, user, d.text)
        if isinstance(result, dict) and result.get("invaliduser"):
            raise DeliveryError(f"WeCom: {result['invaliduser']} cannot receive messages from this app")


class ChainFailed(DeliveryError):
    """Every staff channel failed (or none applies) for one notice; `tried` says why, channel by channel."""

    def __init__(self, tried: list[tuple[str, str]]):
        super().__init__("; ".join(f"{c}: {why}" for c, why in tried) or "no staff channel configured")
        self.tried = tried

    @property
    def hopeless(self) -> bool:
        """No channel was even attempted (none applies to this person): retrying cannot help."""
        return all(why == "not configured" or why.startswith("no ") for _, why in self.tried)


class StaffChain:
    """A staff notice goes out on the first channel that works, in the configured order."""

    def __init__(self, order: list[str], channels: dict):
        self.order, self.channels = order, channels

    def _applies(self, name: str, d: Delivery) -> str | None:
        """Why channel `name` cannot carry this notice (None: it can)."""
        if self.channels.get(name) is None:
            return "not configured"
        needs = {"wecom_app": "wecom_user", "template": "open_id", "customer_service": "open_id"}.get(name)
        return f"no {needs} for {d.payload.get('staff', d.recipient)}" if needs and not d.payload.get(needs) else None

    def send(self, d: Delivery) -> str:
        """Send on the first channel that accepts it; returns that channel's name."""
        tried: list[tuple[str, str]] = []
        for name in self.order:
            why = self._applies(name, d)
            if why is None:
                try:
                    self.channels[name].send(replace(d, recipient=d.payload.get("open_id") or d.recipient))
                    return name
                except DeliveryError as exc:
                    why = str(exc)
            tried.append((name, why[:200]))
        raise ChainFailed(tried)


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

    def send(self, d: Delivery) -> str:
        """Send one delivery; returns the channel that carried it."""
        transport = self.by_channel.get(d.channel, self.default)
        if transport is None:
            raise DeliveryError(f"no transport for channel {d.channel!r}")
        via = transport.send(d)
        return via if isinstance(via, str) else d.channel


def build_transports(services) -> Transports:
    """settings.outbox.transport: 'local' (demo) or 'wechat' (the real API at wechat.api_base_url)."""
    out = services.settings.outbox
    if out.transport == "local":
        return Transports({}, default=Local())
    client = make_client(services)
    by_channel = {
        "customer_service": CustomerService(client),
        "template": Template(client, out.template_id),
        "wecom_robot": WeComRobot(out.wecom_robot_url, out.send_timeout_s),
        "local": Local(),
    }
    by_channel["staff"] = staff_chain(services, client)
    return Transports(by_channel)


def staff_chain(services, client) -> StaffChain:
    """The staff channels configured for this deployment, in their configured order."""
    cfg, out = services.settings.staff_channels, services.settings.outbox
    robot_url, template_id = cfg.robot_url or out.wecom_robot_url, cfg.template_id or out.template_id
    wecom = make_wecom_client(services)
    channels = {
        "wecom_app": WeComApp(wecom, cfg.wecom_app.agent_id) if wecom is not None else None,
        "wecom_robot": WeComRobot(robot_url, out.send_timeout_s) if robot_url else None,
        "template": Template(client, template_id) if template_id else None,
        "customer_service": CustomerService(client),
    }
    return StaffChain(list(cfg.order), channels)
