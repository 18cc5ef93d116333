"""Quiet hours: when they hold a priority's escalations and notices, and what residents are told."""
from __future__ import annotations

from datetime import datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from bot import texts as M
from bot.db.models import TicketEvent


def _window(settings, priority: str):
    quiet = settings.escalation.quiet_hours
    return quiet if quiet is not None and priority in quiet.priorities else None


def _inside(quiet, local: time) -> bool:
    start, end = time.fromisoformat(quiet.start), time.fromisoformat(quiet.end)
    return start <= local < end if start <= end else (local >= start or local < end)


def in_quiet_hours(settings, priority: str, now: datetime) -> bool:
    """True when configured quiet hours hold this priority back at `now`."""
    quiet = _window(settings, priority)
    if quiet is None:
        return False
    return _inside(quiet, now.astimezone(ZoneInfo(settings.desk.timezone)).time())


def quiet_end(settings, now: datetime) -> datetime:
    """The UTC moment the quiet period holding `now` ends (the next local `end` time)."""
    tz = ZoneInfo(settings.desk.timezone)
    local = now.astimezone(tz)
    end = datetime.combine(local.date(), time.fromisoformat(settings.escalation.quiet_hours.end), tz)
    if end <= local:
        end = datetime.combine(local.date() + timedelta(days=1), end.timetz(), tz)
    return end.astimezone(timezone.utc)


def _quiet_spans(quiet, tz, start: datetime, end: datetime):
    """Local quiet intervals (as UTC pairs) that may overlap [start, end]."""
    day = start.astimezone(tz).date() - timedelta(days=1)
    qs, qe = time.fromisoformat(quiet.start), time.fromisoformat(quiet.end)
    while datetime.combine(day, qs, tz) < end:
        a = datetime.combine(day, qs, tz)
        b = datetime.combine(day + timedelta(days=1 if qe <= qs else 0), qe, tz)
        yield a.astimezone(timezone.utc), b.astimezone(timezone.utc)
        day += timedelta(days=1)


def active_minutes(settings, priority: str, start: datetime, end: datetime) -> float:
    """Minutes between start and end outside this priority's quiet hours (the ladder's clock)."""
    total = (end - start).total_seconds() / 60
    quiet = _window(settings, priority)
    if quiet is None or end <= start:
        return total
    tz = ZoneInfo(settings.desk.timezone)
    held = sum(max(0.0, (min(b, end) - max(a, start)).total_seconds() / 60)
               for a, b in _quiet_spans(quiet, tz, start, end))
    return total - held


def expectation(settings, priority: str, now: datetime) -> str | None:
    """What a resident may expect when quiet hours hold their ticket, e.g. '明早8点后处理'; else None."""
    if not in_quiet_hours(settings, priority, now):
        return None
    tz = ZoneInfo(settings.desk.timezone)
    end = quiet_end(settings, now).astimezone(tz)
    when = M.QUIET_THIS_MORNING if end.date() == now.astimezone(tz).date() else M.QUIET_TOMORROW
    clock = M.CLOCK_HOUR.format(end.hour) + (M.CLOCK_MINUTE.format(end.minute) if end.minute else "")
    return M.QUIET_EXPECT.format(when=when, clock=clock)


def quiet_priority(session, ticket) -> str:
    """The priority quiet hours judge a ticket by: a possible emergency (the safety net's caution
    level) is never held or paused, whatever its priority, so it counts as urgent here."""
    data = session.scalar(select(TicketEvent.data).where(TicketEvent.ticket_id == ticket.id, TicketEvent.kind == "opened")
                          .order_by(TicketEvent.id).limit(1))
    return "urgent" if (data or {}).get("reason") == "caution" else ticket.priority
