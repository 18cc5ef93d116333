"""`linli roster show|swap|leave|fairness`: the duty roster from the command line."""
from __future__ import annotations

import getpass
import unicodedata
from datetime import date, datetime, timezone

import click

from bot.cli import cli, config_option, get_settings


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """Left-align text in `width` terminal columns (CJK characters take two)."""
    return text + " " * max(0, width - _width(text))


def table(headers: list[str], rows: list[list[str]]) -> str:
    """A plain aligned text table."""
    widths = [max(_width(str(r[i])) for r in [headers, *rows]) for i in range(len(headers))]
    lines = ["  ".join(pad(str(c), w) for c, w in zip(r, widths)).rstrip() for r in [headers, *rows]]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(lines)


def parse_day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"日期格式不对：{value}（应为 YYYY-MM-DD，例如 2026-12-01）") from None


def open_db(ctx: click.Context):
    """Settings and a session factory on an upgraded database with config staff seeded."""
    from bot.db import make_engine, make_session_factory, transaction, upgrade
    from bot.staff import seed_staff

    settings = get_settings(ctx)
    upgrade(settings.database.url)
    factory = make_session_factory(make_engine(settings.database.url, null_pool=True))
    with transaction(factory) as session:
        seed_staff(session, settings)
    return settings, factory


def _today(settings) -> date:
    from bot.duty_roster import duty_day

    return duty_day(datetime.now(timezone.utc), settings)


def _run(fn):
    """Roster errors become one clear line for staff."""
    from bot.roster.rotation import RosterError

    try:
        return fn()
    except RosterError as exc:
        raise click.ClickException(exc.message_zh) from None


@cli.group()
def roster() -> None:
    """Duty roster: show, swap, leave, fairness."""


@roster.command("show")
@config_option
@click.option("--days", default=14, show_default=True, type=click.IntRange(1, 400))
@click.option("--from", "start", default=None, help="First duty day (YYYY-MM-DD; default: today).")
@click.pass_context
def show(ctx: click.Context, days: int, start: str | None) -> None:
    """Print who is on duty, day by day."""
    from bot.db import transaction
    from bot.duty_changes import day_zh
    from bot.duty_roster import KIND_ZH, effective_roster

    settings, factory = open_db(ctx)
    first = parse_day(start) if start else _today(settings)
    with transaction(factory) as session:
        days_ = _run(lambda: effective_roster(session, settings, first, days))
    rows = [[day_zh(d.day), KIND_ZH.get(d.kind, d.kind), "、".join(d.staff) or "（无人）", "；".join(d.notes)]
            for d in days_]
    click.echo(f"值班表（每日 {settings.roster.shift_change} 交班，{settings.desk.timezone}）")
    click.echo(table(["日期", "类型", "值班人员", "备注"], rows))


def _change(ctx: click.Context, action) -> None:
    from bot.db import transaction

    settings, factory = open_db(ctx)
    with transaction(factory) as session:
        change = _run(lambda: action(session, settings, getpass.getuser(), datetime.now(timezone.utc)))
    for note in change.notes:
        click.echo(note)


@roster.command("swap")
@config_option
@click.argument("day")
@click.argument("a")
@click.argument("b")
@click.pass_context
def swap_cmd(ctx: click.Context, day: str, a: str, b: str) -> None:
    """On DAY, whichever of A and B is on duty hands the duty to the other."""
    from bot.duty_roster import swap

    d = parse_day(day)
    _change(ctx, lambda s, settings, by, now: swap(s, d, a, b, by, now, settings=settings))
    click.echo("换班已登记。")


@roster.command("leave")
@config_option
@click.argument("name")
@click.argument("start")
@click.argument("end")
@click.pass_context
def leave_cmd(ctx: click.Context, name: str, start: str, end: str) -> None:
    """Record leave for NAME from START to END (inclusive); stand-ins are found automatically."""
    from bot.duty_roster import leave

    first, last = parse_day(start), parse_day(end)
    _change(ctx, lambda s, settings, by, now: leave(s, name, first, last, by, now, settings=settings))
    click.echo("请假已登记。")


@roster.command("fairness")
@config_option
@click.option("--days", default=84, show_default=True, type=click.IntRange(28, 800))
@click.option("--from", "start", default=None, help="First duty day (YYYY-MM-DD; default: today).")
@click.pass_context
def fairness_cmd(ctx: click.Context, days: int, start: str | None) -> None:
    """How evenly duties (and weekend/holiday duties) are spread."""
    from bot.db import transaction
    from bot.duty_roster import fairness

    settings, factory = open_db(ctx)
    first = parse_day(start) if start else _today(settings)
    with transaction(factory) as session:
        f = _run(lambda: fairness(session, settings, first, days))
    rows = [[r.name, str(r.total), str(r.rest_days), str(r.holidays), "是" if r.no_holiday_duty else ""]
            for r in f.rows]
    click.echo(f"值班公平性：{first} 起 {days} 天")
    click.echo(table(["姓名", "值班", "周末/节假日", "其中法定节假日", "节假日不排班"], rows))
    click.echo(f"任意28天内值班次数最多与最少相差：{f.window_spread}（应不超过1）")
    click.echo(f"周末/节假日值班次数最多与最少相差：{f.rest_spread}")
