"""XML <-> domain objects: parse WeChat callbacks into Inbound, render passive replies."""
from __future__ import annotations

import time
from datetime import datetime, timezone

from wechatpy import parse_message
from wechatpy.replies import TextReply

from bot.domain import Inbound, Location, Reply
from bot.wechat.security import BadRequest

MAX_ID_CHARS = 64  # open_id columns are String(64); msg keys ("msg:" + MsgId) fit String(128)
MAX_CREATE_TIME = 4_102_444_800  # 2100-01-01: anything later is not a WeChat timestamp

_KINDS = {"text", "image", "voice", "video", "shortvideo", "location", "link", "event"}


def parse_inbound(xml: str) -> Inbound:
    """Parse plaintext callback XML (already screened) into an Inbound."""
    try:
        msg = parse_message(xml)
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise BadRequest(f"not a WeChat message: {exc!r}") from None
    if msg is None:
        raise BadRequest("empty message")
    raw = getattr(msg, "_data", {}) or {}
    open_id, account = raw.get("FromUserName"), raw.get("ToUserName")
    created = raw.get("CreateTime")
    if not open_id or not account or not str(created or "").isdigit():
        raise BadRequest("missing FromUserName, ToUserName or CreateTime")
    _check_storable(str(open_id), str(account), str(created), raw.get("MsgId") or raw.get("MsgID"))
    return _to_inbound(msg, raw, str(open_id), str(account), int(created))


def _check_storable(open_id: str, account: str, created: str, msg_id) -> None:
    """Refuse what the database cannot hold (column sizes) before anything is stored or spooled."""
    if len(open_id) > MAX_ID_CHARS or len(account) > MAX_ID_CHARS:
        raise BadRequest(f"FromUserName/ToUserName longer than {MAX_ID_CHARS} characters")
    if msg_id is not None and len(str(msg_id)) > MAX_ID_CHARS:
        raise BadRequest(f"MsgId longer than {MAX_ID_CHARS} characters")
    if len(created) > 10 or int(created) > MAX_CREATE_TIME:
        raise BadRequest("CreateTime out of range")


def _to_inbound(msg, raw: dict, open_id: str, account: str, created: int) -> Inbound:
    msg_type = str(raw.get("MsgType", "")).lower()
    kind = msg_type if msg_type in _KINDS else "unknown"
    event = str(raw["Event"]).lower() if kind == "event" and raw.get("Event") else None
    msg_id = raw.get("MsgId") or raw.get("MsgID")
    key = f"msg:{msg_id}" if msg_id and kind != "event" else f"evt:{open_id}:{created}"
    if kind == "event" and event == "templatesendjobfinish" and msg_id:
        key = f"evt:tpl:{msg_id}"
    return Inbound(
        open_id=open_id,
        account=account,
        msg_key=key,
        kind=kind,  # type: ignore[arg-type]
        at=datetime.fromtimestamp(created, tz=timezone.utc),
        text=_text_of(msg, kind),
        event=(getattr(msg, "event", None) or event) if kind == "event" else None,
        event_key=_opt(getattr(msg, "key", None) or getattr(msg, "scene_id", None)),
        media_id=_opt(getattr(msg, "media_id", None)),
        url=_opt(getattr(msg, "url", None)),
        location=_location_of(msg, kind),
        raw_type=str(raw.get("Event") or raw.get("MsgType") or ""),
    )


def _opt(value) -> str | None:
    return str(value) if value not in (None, "") else None


def _text_of(msg, kind: str) -> str:
    if kind == "text":
        return str(getattr(msg, "content", "") or "")
    if kind == "voice":
        return str(getattr(msg, "recognition", "") or "")
    if kind == "link":
        return " ".join(filter(None, [getattr(msg, "title", ""), getattr(msg, "description", "")]))
    return ""


def _location_of(msg, kind: str) -> Location | None:
    try:
        if kind == "location":
            return Location(float(msg.location_x), float(msg.location_y), str(msg.label or ""))
        if kind == "event" and getattr(msg, "event", "") == "location":
            return Location(float(msg.latitude), float(msg.longitude))
    except (TypeError, ValueError):
        return None
    return None


def cdata_safe(text: str) -> str:
    """Split ']]>' so the text stays inside CDATA sections and round-trips exactly."""
    return text.replace("]]>", "]]]]><![CDATA[>")


def render_reply(inbound: Inbound, reply: Reply, now: float | None = None) -> str:
    """Passive text reply XML (plaintext; the view encrypts it in safe mode)."""
    out = TextReply(
        source=inbound.account,
        target=inbound.open_id,
        content=cdata_safe(reply.text),
        time=int(now if now is not None else time.time()),
    )
    return out.render()
