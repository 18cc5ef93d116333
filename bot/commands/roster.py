"""`linli roster show|swap|leave|fairness`: the duty roster from the command line."""
from __future__ import annotations

import getpass
from datetime import date, datetime, timezone

import click

from bot.commands.common import config_option, get_settings


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
    from bot.roster.store import duty_day

    return duty_day(datetime.now(timezone.utc), settings)


def calendar_warning(settings, first: date, days: int) -> str | None:
    """A hint when the period reaches a year chinese-calendar has no holiday data for."""
    from datetime import timedelta

    from bot.roster.store import calendar_for

    calendar = calendar_for(settings)
    last = first + timedelta(days=days - 1)
    unknown = [y for y in range(first.year, last.year + 1) if not calendar.known(y)]
    if not unknown:
        return None
    years = "、".join(str(y) for y in unknown)
    return f"提示：chinese-calendar 还没有 {years} 年的法定节假日和调休数据，这些日子按普通周末/工作日排；请在配置 roster.holiday_overrides 中补充。"


def _run(fn):
    """Roster errors become one clear line for staff."""
    from bot.roster.rotation import RosterError

    try:
        return fn()
    except RosterError as exc:
        raise click.ClickException(exc.message_zh) from None


@click.group()
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
    from bot.roster.changes import as_duty_days
    from bot.roster.store import effective_roster
    from bot.roster.render import render_table

    settings, factory = open_db(ctx)
    first = parse_day(start) if start else _today(settings)
    with transaction(factory) as session:
        days_ = _run(lambda: effective_roster(session, settings, first, days))
    click.echo(f"值班表（每日 {settings.roster.shift_change} 交班，{settings.desk.timezone}）")
    click.echo(render_table(as_duty_days(days_)))
    hint = calendar_warning(settings, first, days)
    if hint:
        click.echo(hint)


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
    from bot.roster.changes import swap

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
    from bot.roster.changes import leave

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
    from bot.roster.changes import fairness
    from bot.roster.render import render_fairness

    settings, factory = open_db(ctx)
    first = parse_day(start) if start else _today(settings)
    with transaction(factory) as session:
        f = _run(lambda: fairness(session, settings, first, days))
    click.echo(f"值班公平性（{first} 起 {days} 天，含换班和请假）")
    click.echo(render_fairness(f.report))
    spared = [r.name for r in f.rows if r.no_holiday_duty]
    if spared:
        click.echo(f"不排周末/节假日班：{'、'.join(spared)}")
    hint = calendar_warning(settings, first, days)
    if hint:
        click.echo(hint)
