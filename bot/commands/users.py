"""`linli user add`: create a console login (the first admin, or any staff member)."""
from __future__ import annotations

import sys

import click

from bot.cli import cli, config_option, get_settings


@cli.group()
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
@click.pass_context
def add(ctx: click.Context, name: str, role: str, password_stdin: bool) -> None:
    """Create NAME with a console password (an existing NAME gets the new password and role)."""
    from bot.db import make_engine, make_session_factory, transaction, upgrade
    from bot.web.users import ensure_user

    settings = get_settings(ctx)
    password = _read_password(password_stdin)
    upgrade(settings.database.url)
    engine = make_engine(settings.database.url)
    try:
        with transaction(make_session_factory(engine)) as session:
            ensure_user(session, name.strip(), password, role)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None
    finally:
        engine.dispose()
    click.echo(f"已保存登录账号：{name}（{role}）。请打开 /admin/ 登录。")
