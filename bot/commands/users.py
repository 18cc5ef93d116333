"""`linli user add` / `linli user passwd`: console logins (the first admin, any staff member)."""
from __future__ import annotations

import sys

import click

from bot.commands.common import config_option, get_settings


@click.group()
def user() -> None:
    """Console logins (web console at /admin/)."""


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    return click.prompt("密码 / password", hide_input=True, confirmation_prompt=True)


@user.command("add")
@config_option
@click.argument("name")
@click.option("--role", type=click.Choice(["admin", "lead", "staff"]), default="staff", show_default=True)
@click.option("--password-stdin", is_flag=True, help="Read the password from the first line of stdin.")
@click.option("--from", "effective_from", type=click.DateTime(formats=["%Y-%m-%d"]), default=None,
              help="Put a new lead/staff member on the duty roster from this date (earliest: tomorrow's duty day).")
@click.option("--dry-run", is_flag=True, help="With --from: show which duty days would change, save nothing.")
@click.pass_context
def add(ctx: click.Context, name: str, role: str, password_stdin: bool, effective_from, dry_run: bool) -> None:
    """Create NAME with a console password (an existing NAME gets the new password and role).

    The duty roster never changes behind your back: a new person joins it only with --from DATE,
    after which the days that change are printed and the people affected are notified."""
    from bot.db import make_engine, make_session_factory, transaction, upgrade

    settings = get_settings(ctx)
    name = name.strip()
    start = effective_from.date() if effective_from else None
    if dry_run and start is None:
        raise click.ClickException("--dry-run 需要和 --from 日期一起使用。")
    password = "" if dry_run else _read_password(password_stdin)
    upgrade(settings.database.url)
    engine = make_engine(settings.database.url)
    try:
        with transaction(make_session_factory(engine)) as session:
            lines = _add(session, settings, name, role, password, start, dry_run)
    except ValueError as exc:  # RosterError is a ValueError with a Chinese message
        raise click.ClickException(getattr(exc, "message_zh", None) or str(exc)) from None
    finally:
        engine.dispose()
    click.echo("\n".join(lines))


def _add(session, settings, name: str, role: str, password: str, start, dry_run: bool) -> list[str]:
    """Preview (and unless dry_run, record) the login and the roster change; lines to print."""
    from datetime import datetime, timezone

    from bot.roster import plans as roster_plans
    from bot.web.users import ensure_user

    now = datetime.now(timezone.utc)
    edit = None
    if start is not None and role != "admin" and not roster_plans.in_rota(session, settings, name, start):
        edit = roster_plans.StaffEdit(name, True, False, f"新增{name}")
    pv = roster_plans.preview(session, settings, edit, start, now) if edit else None
    lines = roster_plans.describe(pv) if pv else []
    if dry_run:
        return lines + ["（预览，未保存任何内容）"]
    roster_plans.ensure_baseline(session, settings, now, "linli user add")
    staff = ensure_user(session, name, password, role)
    if pv is not None:
        staff.eligible = True
        told = roster_plans.record(session, settings, pv, "linli user add", now)
        lines.append(f"已排入值班表：自{start.isoformat()}起；已通知{told}人。")
    elif not roster_plans.in_rota(session, settings, name, roster_plans.earliest_start(settings, now)):
        staff.eligible = False
        if role != "admin":
            lines.append("未排入值班表：如需排班，请加 --from 日期（可先加 --dry-run 预览哪些天会变）。")
    return lines + [f"已保存登录账号：{name}（{role}）。请打开 /admin/ 登录。"]


@user.command("passwd")
@config_option
@click.argument("name")
@click.option("--password-stdin", is_flag=True, help="Read the new password from the first line of stdin.")
@click.pass_context
def passwd(ctx: click.Context, name: str, password_stdin: bool) -> None:
    """Set a new console password for the existing account NAME (e.g. to replace the demo one)."""
    from bot.db import make_engine, make_session_factory, transaction, upgrade
    from bot.production import DEMO_PASSWORD

    settings = get_settings(ctx)
    password = _read_password(password_stdin)
    if password == DEMO_PASSWORD:
        raise click.ClickException("不能使用演示密码，请换一个新密码。")
    upgrade(settings.database.url)
    engine = make_engine(settings.database.url)
    try:
        with transaction(make_session_factory(engine)) as session:
            found = _set_password(session, name.strip(), password)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    if not found:
        raise click.ClickException(f"没有名为“{name}”的登录账号；新建账号请用 `linli user add`。")
    click.echo(f"已为 {name} 设置新密码。")


def _set_password(session, name: str, password: str) -> bool:
    """Replace NAME's password hash (ValueError if too short); False when there is no such account."""
    from sqlalchemy import select

    from bot.db.models import Staff
    from bot.web.passwords import hash_password

    staff = session.scalar(select(Staff).where(Staff.name == name))
    if staff is None:
        return False
    staff.password_hash = hash_password(password)
    return True
