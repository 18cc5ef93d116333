"""Planned work entered ahead of time (停水/停电 notices): '预告 12月3日8:00-18:00 5号楼停水，管道检修'."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.incidents import service as S
from bot.incidents.places import Place

_DAY = r"(?:(今天|明天|后天)|(\d{1,2})\s*月\s*(\d{1,2})\s*[日号])?"
_TIME = r"(\d{1,2})\s*(?:[:：]\s*(\d{2})|点\s*(半|\d{1,2})?(?:分)?)"
_RANGE = re.compile(_DAY + r"\s*" + _TIME + r"\s*(?:-|—|–|~|～|到|至)\s*" + _DAY + r"\s*" + _TIME)
_REL = {"今天": 0, "明天": 1, "后天": 2}


def _when(base: datetime, rel, month, day, hour, minute, half) -> datetime:
    if rel:
        d = base + timedelta(days=_REL[rel])
    elif month:
        d = base.replace(month=int(month), day=int(day))
        if d.date() < base.date() - timedelta(days=180):  # "1月3日" written in December: next year
            d = d.replace(year=d.year + 1)
    else:
        d = base
    m = 30 if half == "半" else int(minute or half or 0)
    return d.replace(hour=int(hour), minute=m, second=0, microsecond=0)


def parse_window(text: str, now: datetime, tz: str) -> tuple[datetime, datetime, str] | None:
    """(start, end, the text without the window) or None when no time range is given."""
    t = unicodedata.normalize("NFKC", text)
    m = _RANGE.search(t)
    if not m:
        return None
    g = m.groups()
    base = now.astimezone(ZoneInfo(tz))
    try:
        start = _when(base, *g[0:6])
        end_base = start if not (g[6] or g[7]) else base
        end = _when(end_base, *g[6:12])
    except ValueError:
        return None
    if end <= start:
        return None
    src = text if len(text) == len(t) else t  # keep the staff member's own punctuation where we can
    rest = (src[:m.start()] + src[m.end():]).strip(" ，,：:")
    return start.astimezone(now.tzinfo), end.astimezone(now.tzinfo), rest


def create_planned(session: Session, settings, author: str, text: str, now: datetime, *,
                   starts_at: datetime, ends_at: datetime, place: Place | None = None, category: str | None = None,
                   title: str | None = None):
    """A planned notice: it answers matching questions from now until it ends."""
    incident = S.create(session, author, text, now, place=place, category=category, title=title, kind="planned",
                        starts_at=starts_at, ends_at=ends_at, tz=settings.desk.timezone)
    S.timeline(session, incident, author, "planned", text, now)
    incident.last_update, incident.last_update_at = text, now
    incident.expected_at = ends_at
    return incident
