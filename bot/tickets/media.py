"""Photos, voice, video and locations residents send: a line staff can open, the file fetched later.

The webhook only records a MediaItem (no network on the hot path); the dispatcher downloads it from
the WeChat media API (media/get) into the media folder, refusing files above MAX_BYTES, and the
console serves it to logged-in staff at /admin/tickets/media/<id>.
"""
from __future__ import annotations

import logging
import os
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.db import transaction
from bot.db.models import MediaItem
from bot.domain import Inbound
from bot import texts as M
from bot.wechat.api import make_client

log = logging.getLogger("linli.media")

MEDIA_KINDS = ("image", "voice", "video", "shortvideo")
MAX_BYTES = 10 * 1024 * 1024  # WeChat's own limit for a temporary image or video
MAX_ATTEMPTS = 5
RETRY_AFTER = timedelta(minutes=1)
CHUNK = 64 * 1024


def media_dir(services) -> Path:
    """services.media_dir, else $LINLI_MEDIA_DIR, else var/media beside the config file."""
    if services.media_dir:
        return Path(services.media_dir)
    if os.environ.get("LINLI_MEDIA_DIR"):
        return Path(os.environ["LINLI_MEDIA_DIR"])
    source = Path(services.settings.source) if services.settings.source != "<memory>" else Path("config.yaml")
    return source.resolve().parent / "var" / "media"


def console_url(settings, item_id: int) -> str:
    """Where staff open the file: the console's public address ($LINLI_PUBLIC_URL) plus the path."""
    base = (getattr(settings.web, "public_url", None) or os.environ.get("LINLI_PUBLIC_URL", "")).rstrip("/")
    return f"{base}/admin/tickets/media/{item_id}"


def staff_line(session: Session, settings, ticket_id: int | None, msg: Inbound, now: datetime) -> str:
    """What staff read for this message: the text, or a link to its media / the map point."""
    if msg.kind == "location" and msg.location is not None:
        loc = msg.location
        url = M.MAP_URL.format(lat=loc.latitude, lon=loc.longitude, label=quote(loc.label or "居民位置"))
        return M.LOCATION_LINE.format(label=loc.label, lat=loc.latitude, lon=loc.longitude, url=url)
    if msg.kind not in MEDIA_KINDS or not msg.media_id:
        return msg.describe()
    item = _record(session, ticket_id, msg, now)
    url = console_url(settings, item.id)
    if msg.kind == "voice" and msg.has_text:
        return M.VOICE_LINE.format(text=msg.text, url=url)
    return M.MEDIA_LINE.format(label=M.MEDIA_LABELS[msg.kind], url=url)


def _record(session: Session, ticket_id: int | None, msg: Inbound, now: datetime) -> MediaItem:
    item = session.scalar(select(MediaItem).where(MediaItem.msg_key == msg.msg_key))
    if item is None:
        item = MediaItem(ticket_id=ticket_id, open_id=msg.open_id, msg_key=msg.msg_key, kind=msg.kind,
                         media_id=msg.media_id, status="pending", attempts=0, next_attempt_at=now, created_at=now)
        session.add(item)
        session.flush()
    elif item.ticket_id is None:
        item.ticket_id = ticket_id
    return item


def for_ticket(session: Session, ticket_id: int) -> list[MediaItem]:
    return list(session.scalars(select(MediaItem).where(MediaItem.ticket_id == ticket_id).order_by(MediaItem.id)))


def fetch_due(services, now: datetime, client=None, limit: int = 5) -> int:
    """Download up to `limit` pending media files; returns how many were stored."""
    if client is None and services.settings.outbox.transport != "wechat":
        return 0  # the local (demo) transport has no WeChat media API to ask
    claimed = _claim(services, now, limit)
    if not claimed:
        return 0
    client = client or _client(services)
    stored = 0
    for item_id, media_id, kind in claimed:
        outcome = _download(client, media_id, media_dir(services), kind)
        stored += _finish(services, item_id, outcome)
    return stored


def _claim(services, now: datetime, limit: int) -> list[tuple[int, str, str]]:
    with transaction(services.session_factory) as s:
        rows = list(s.scalars(select(MediaItem).where(
            MediaItem.status == "pending", MediaItem.next_attempt_at <= now, MediaItem.attempts < MAX_ATTEMPTS)
            .order_by(MediaItem.id).limit(limit)))
        for r in rows:  # a second dispatcher skips them until the retry time
            r.attempts += 1
            r.next_attempt_at = now + RETRY_AFTER * r.attempts
        return [(r.id, r.media_id, r.kind) for r in rows]


def _client(services):
    if services.media_client is None:
        services.media_client = make_client(services)
    return services.media_client


def _download(client, media_id: str, folder: Path, kind: str) -> dict:
    """GET media/get, streamed to a file; {'status': ..., 'path'/'size'/'error': ...}."""
    try:
        res = client._http.get(client.API_BASE_URL + "media/get", stream=True, timeout=client.timeout,
                               params={"access_token": client.access_token, "media_id": media_id})
        kind_header = res.headers.get("Content-Type", "")
        if res.status_code != 200 or "json" in kind_header or "text/plain" in kind_header:
            return {"status": "pending", "error": f"HTTP {res.status_code}: {res.text[:200]}"}
        declared = int(res.headers.get("Content-Length") or 0)
        if declared > MAX_BYTES:
            return {"status": "too_large", "size": declared, "error": f"{declared} bytes > {MAX_BYTES}"}
        return _save(res, folder, kind, kind_header)
    except Exception as exc:  # network or token trouble: try again later
        log.warning("media %s: download failed: %s", media_id, exc)
        return {"status": "pending", "error": f"{exc.__class__.__name__}: {exc}"[:500]}


def _save(res, folder: Path, kind: str, content_type: str) -> dict:
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{kind}-{uuid.uuid4().hex}"
    size, target = 0, folder / name
    with open(target, "wb") as fh:
        for chunk in res.iter_content(CHUNK):
            size += len(chunk)
            if size > MAX_BYTES:  # no or a false Content-Length: stop at the limit
                fh.close()
                target.unlink(missing_ok=True)
                return {"status": "too_large", "size": size, "error": f"more than {MAX_BYTES} bytes"}
            fh.write(chunk)
    return {"status": "stored", "path": name, "size": size, "content_type": content_type.split(";")[0]}


def _finish(services, item_id: int, outcome: dict) -> int:
    with transaction(services.session_factory) as s:
        item = s.get(MediaItem, item_id)
        if item is None:
            return 0
        item.last_error = outcome.get("error")
        item.size = outcome.get("size", item.size)
        if outcome["status"] == "pending":
            item.status = "failed" if item.attempts >= MAX_ATTEMPTS else "pending"
            return 0
        item.status, item.path = outcome["status"], outcome.get("path")
        item.content_type = outcome.get("content_type")
        return int(item.status == "stored")


def forget(session: Session, folder: Path, open_id: str) -> int:
    """Erase a resident's media (files and rows), e.g. for 删除我的信息; returns how many went."""
    items = list(session.scalars(select(MediaItem).where(MediaItem.open_id == open_id)))
    for item in items:
        if item.path:
            (folder / item.path).unlink(missing_ok=True)
        session.delete(item)
    return len(items)
