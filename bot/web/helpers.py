"""Shared console helpers: database sessions, local time, template globals."""
from __future__ import annotations

from contextlib import contextmanager
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import abort, current_app, g

from bot.db import transaction

# The label table (bot.texts): the names residents and staff read in WeChat, reminders and reports.
from bot.texts import (  # noqa: E402
    ACTION_NAMES, ACTOR_NAMES, CATEGORY_NAMES, DAY_OUT_OF_RANGE, EVENT_FIELDS, EVENT_NAMES, EVENT_STEP, GUARD_NAMES,
    GUARD_OTHER, NAME_SEPARATOR, OVERDUE, PRIORITY_NAMES, REASON_NAMES, ROLE_NAMES, STATUS_NAMES,
)
VALUE_NAMES = {**REASON_NAMES, **ACTION_NAMES}  # coded values of an event's why/reason/action


def event_fields(data: dict) -> list[tuple[str, str]]:
    """An event's data as (Chinese label, readable value) pairs; internal keys are left out."""
    out = []
    for key, value in (data or {}).items():
        if key not in EVENT_FIELDS or value in (None, ""):
            continue
        text = str(value)
        if key == "priority":
            text = PRIORITY_NAMES.get(text, text)
        elif key in ("category", "why", "reason", "action"):
            text = CATEGORY_NAMES.get(text, PRIORITY_NAMES.get(text, VALUE_NAMES.get(text, text)))
        if text.startswith("guard:"):
            text = GUARD_NAMES.get(text[6:], GUARD_OTHER)
        if isinstance(value, (list, tuple)):
            text = NAME_SEPARATOR.join(str(v) for v in value)
        if key == "step" and str(value).isdigit():
            text = EVENT_STEP.format(n=int(value) + 1)
        out.append((EVENT_FIELDS[key], text))
    return out


def actor_name(actor: str) -> str:
    """Who did something, in words: 'resident' -> '居民'; staff names stay."""
    return ACTOR_NAMES.get(actor, actor)




def services():
    """The process's Services container."""
    return current_app.extensions["linli"]


@contextmanager
def db():
    """One unit of work on the desk database."""
    with transaction(services().session_factory) as session:
        outer, g.open_session = g.get("open_session"), session  # see open_or_new()
        try:
            yield session
        finally:
            g.open_session = outer


@contextmanager
def open_or_new():
    """The unit of work a page is rendered inside, if any (SQLite allows one writer: a second
    transaction would wait on the first), else a new one. For reads from templates."""
    session = g.get("open_session")
    if session is not None:
        yield session
    else:
        with db() as session:
            yield session


def now() -> datetime:
    return services().clock.now()


def tz() -> ZoneInfo:
    return ZoneInfo(services().settings.desk.timezone)


def local(dt: datetime | None, fmt: str = "%Y-%m-%d %H:%M") -> str:
    """A UTC datetime shown in the desk's timezone."""
    return dt.astimezone(tz()).strftime(fmt) if dt else ""


def today() -> date:
    return now().astimezone(tz()).date()


def day_start(day: date) -> datetime:
    """The UTC instant a local calendar day starts."""
    return datetime.combine(day, time.min, tz()).astimezone(ZoneInfo("UTC"))


def day_range(first: date, last: date) -> tuple[datetime, datetime]:
    """UTC bounds [start of first, start of the day after last)."""
    return day_start(first), day_start(last + timedelta(days=1))


FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2099, 12, 31)  # dates the console can compute around


def parse_day(text: str | None, default: date) -> date:
    """A YYYY-MM-DD from a form or query (unreadable: the default); outside 2000-2099: 400."""
    try:
        day = date.fromisoformat(text) if text else default
    except ValueError:
        return default
    if not FIRST_DAY <= day <= LAST_DAY:
        abort(400, description=DAY_OUT_OF_RANGE)
    return day


def install_template_helpers(app, svc) -> None:
    """Filters and globals every console template uses."""
    app.jinja_env.filters["local"] = local
    app.jinja_env.globals.update(
        CATEGORY_NAMES=CATEGORY_NAMES, EVENT_NAMES=EVENT_NAMES, event_fields=event_fields, actor_name=actor_name, PRIORITY_NAMES=PRIORITY_NAMES, STATUS_NAMES=STATUS_NAMES,
        ROLE_NAMES=ROLE_NAMES, OVERDUE=OVERDUE,
        desk_name=svc.settings.desk.name, simulator_enabled=svc.settings.web.simulator,
    )

    @app.context_processor
    def _user():
        return {"user": g.get("user")}


def download(data: bytes, filename: str, mime: str):
    """An attachment response; a Chinese file name travels as RFC 5987 filename* with an ASCII fallback."""
    from urllib.parse import quote

    from flask import Response

    ascii_only = filename.encode("ascii", "ignore").decode()
    fallback = filename if ascii_only == filename else "linli-" + ascii_only.strip("-_ ")
    header = f"attachment; filename=\"{fallback}\"; filename*=UTF-8''{quote(filename)}"
    return Response(data, mimetype=mime, headers={"Content-Disposition": header})
