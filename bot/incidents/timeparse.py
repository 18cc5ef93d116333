"""'预计18:00恢复', '推迟到20:00', '预计明天上午8点' -> an aware datetime (the desk's timezone)."""
from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

_EXPECT = re.compile(
    r"(?:预计|推迟到|推迟至|延迟到|延至|延长到|改到|改为|估计|争取|大约|大概)\D{0,3}?"
    r"(今天|今晚|明天|明早|明晚|后天)?\s*(上午|下午|晚上|傍晚|凌晨|早上|中午)?\s*"
    r"(\d{1,2})\s*(?:[:：]\s*(\d{2})|点\s*(半|\d{1,2})?(?:分)?|时)"
)
_DAY = {"今天": 0, "今晚": 0, "明天": 1, "明早": 1, "明晚": 1, "后天": 2}
_PM = {"下午", "晚上", "傍晚"}


def expected_time(text: str, now: datetime, tz: str) -> datetime | None:
    """The expected time a staff update names, if any (a bare time already past means tomorrow)."""
    m = _EXPECT.search(unicodedata.normalize("NFKC", text or ""))
    if not m:
        return None
    day, part, hour, minute, extra = m.groups()
    hour = int(hour)
    minute = 30 if extra == "半" else int(minute or extra or 0)
    if (part in _PM or day in ("今晚", "明晚")) and hour < 12:
        hour += 12
    if hour > 23 or minute > 59:
        return None
    here = now.astimezone(ZoneInfo(tz))
    at = here.replace(hour=hour, minute=minute, second=0, microsecond=0) + timedelta(days=_DAY.get(day, 0))
    if day is None and at <= here:
        at += timedelta(days=1)
    return at.astimezone(now.tzinfo)
