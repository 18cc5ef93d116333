"""'现在值班' — who is on duty this minute (per the shift change), with phone numbers."""
from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import timedelta

from bot import texts as M
from bot.roster import store as duty_roster
from bot.web.helpers import local, now, open_or_new, services

log = logging.getLogger("linli.web")


@dataclass(frozen=True)
class DutyLine:
    people: list[tuple[str, str]]  # (name, phone)
    since: str  # '12月1日 08:30'
    until: str


def current() -> DutyLine | None:
    """The running shift's people and phones; None when the roster cannot be read."""
    settings, at = services().settings, now()
    day = duty_roster.duty_day(at, settings)
    start = duty_roster.shift_start(day, settings)
    try:
        with open_or_new() as s:
            people = [(p.name, p.phone or M.DUTY_LINE_NO_PHONE) for p in services().duty.on_duty(s, at)]
    except Exception:  # the banner must never break a console page
        log.exception("on-duty line unavailable")
        return None
    return DutyLine(people, _when(start), _when(start + timedelta(days=1)))


def _when(at) -> str:
    """'12月1日 08:30' in the desk's time zone."""
    month, day, clock = local(at, "%m %d %H:%M").split()
    return M.DUTY_LINE_WHEN.format(month=int(month), day=int(day), clock=clock)


def install(app) -> None:
    """Make duty_line() available to every console template."""
    app.jinja_env.globals["duty_line"] = current
