"""`linli db upgrade`: create or upgrade the database schema."""
from __future__ import annotations

import click

from bot.commands.common import config_option, get_settings


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@config_option
@click.pass_context
def db_upgrade(ctx: click.Context) -> None:
    """Create or upgrade the database schema to the latest migration."""
    from bot.db import upgrade

    settings = get_settings(ctx)
    upgrade(settings.database.url)
    click.echo(f"database is up to date: {_safe_url(settings.database.url)}")


def _safe_url(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)
