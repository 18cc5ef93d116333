"""The `linli` command. Every command accepts --config FILE (before or after its name)."""
from __future__ import annotations

import logging
import sys

import click
from sqlalchemy.exc import DBAPIError

from bot.config import ConfigError, load_settings
from knowledge_base.loader import KnowledgeBaseError


def _remember_config(ctx: click.Context, _param, value):
    if value:
        ctx.ensure_object(dict)["config"] = value
    return value


def config_option(fn):
    """--config FILE on any command; the innermost one given wins."""
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), expose_value=False,
                        callback=_remember_config, is_eager=True,
                        help="Config file (else $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml).")(fn)


def get_settings(ctx: click.Context):
    """Load settings once per invocation; config errors become one clear line."""
    obj = ctx.ensure_object(dict)
    if "settings" not in obj:
        try:
            obj["settings"] = load_settings(obj.get("config"))
        except ConfigError as exc:
            raise click.ClickException(f"配置错误 / config error: {exc}") from None
    return obj["settings"]


@click.group()
@config_option
@click.option("-v", "--verbose", is_flag=True, help="Debug logging.")
@click.pass_context
def cli(ctx: click.Context, verbose: bool) -> None:
    """Linli (邻里): the WeChat service-desk bot of a 24-hour community desk."""
    ctx.ensure_object(dict)
    logging.basicConfig(level=logging.DEBUG if verbose else logging.INFO,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not verbose:
        logging.getLogger("alembic").setLevel(logging.WARNING)


@cli.group()
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


def _register_optional_commands() -> None:
    """Attach command groups that live beside their features."""
    from bot import commands  # noqa: F401  (serve, send, tick, scheduler, roster, user, faq)


def main() -> None:
    _register_optional_commands()
    try:
        cli(obj={})
    except ConfigError as exc:
        click.echo(f"配置错误 / config error: {exc}", err=True)
        sys.exit(2)
    except KnowledgeBaseError as exc:  # the FAQ file named by `knowledge_base:` does not validate
        click.echo(f"问答文件错误 / knowledge_base error: {exc} (fix the file, or use knowledge_base: "
                   f"builtin:sample)", err=True)
        sys.exit(2)
    except DBAPIError as exc:  # an operator's problem (server, user, password), not a bug: one line
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        click.echo(f"数据库连接失败 / database error: {reason} (check database.url or LINLI_DATABASE_URL; "
                   f"`linli doctor` checks everything)", err=True)
        sys.exit(2)
    except (PermissionError, FileNotFoundError, IsADirectoryError) as exc:
        click.echo(f"文件错误 / file error: {exc.filename}: {exc.strerror} (check the path in the config "
                   f"and that the user running linli may write there)", err=True)
        sys.exit(2)
