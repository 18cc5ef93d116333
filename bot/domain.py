"""Plain domain objects used past the WeChat boundary (no XML, no wechatpy types)."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from knowledge_base.matcher import MatchResult

InboundKind = Literal[
    "text", "image", "voice", "video", "shortvideo", "location", "link", "event", "unknown"
]
# What a resident sends that may become work for staff (a ticket, a follow-up); not events.
RESIDENT_KINDS = ("text", "image", "voice", "video", "shortvideo", "location", "link")


@dataclass(frozen=True)
class Location:
    latitude: float
    longitude: float
    label: str = ""


@dataclass(frozen=True)
class Inbound:
    """One message or event from a WeChat user, as the pipeline sees it."""

    open_id: str
    account: str  # our account id (ToUserName), used as the reply's source
    msg_key: str  # dedupe key: "msg:<MsgId>" or "evt:<open_id>:<CreateTime>"
    kind: InboundKind
    at: datetime  # CreateTime, timezone-aware UTC
    text: str = ""  # text content, or voice recognition text
    event: str | None = None  # subscribe, unsubscribe, click, view, scan, location, ...
    event_key: str | None = None
    media_id: str | None = None
    url: str | None = None
    location: Location | None = None
    raw_type: str = ""  # MsgType / Event as WeChat sent it (kept for unknown types)

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    def describe(self) -> str:
        """Short human-readable summary for tickets and logs (Chinese, shown to staff)."""
        if self.text:
            return self.text
        labels = {
            "image": "[图片]", "voice": "[语音]", "video": "[视频]", "shortvideo": "[小视频]",
            "link": "[链接]", "location": "[位置]", "event": "[事件]", "unknown": "[未知类型消息]",
        }
        base = labels.get(self.kind, "[消息]")
        if self.location:
            base += f" {self.location.label or ''}({self.location.latitude},{self.location.longitude})"
        if self.url:
            base += f" {self.url}"
        return base


@dataclass(frozen=True)
class Reply:
    """A passive text reply to the sender."""

    text: str


@dataclass(frozen=True)
class OutboundMessage:
    """A message to send through the WeChat API (or another channel) via the outbox."""

    recipient: str  # open_id (or staff name for channels that address people by name)
    text: str
    channel: Literal["customer_service", "template", "wecom_robot", "local", "staff"] = "customer_service"
    ticket_id: int | None = None
    dedupe_key: str | None = None
    extra: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Handoff:
    """A message handed on to a person: the ticket handler (or the open thread) takes it.

    Set by the conversation (转人工, "0" after an answer or a menu) or by the FAQ (no confident
    answer, or an intent guard); later handlers read it instead of answering themselves.
    """

    reason: str  # asked_for_person | handoff | guard:<intent>
    text: str = ""  # the question to hand on when it is not this message ("0" after an answer)
    match: MatchResult | None = None  # the matcher's reading of this message (routes the ticket)
