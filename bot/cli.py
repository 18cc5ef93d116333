"""The `linli` command. Every command accepts --config FILE (before or after its name)."""
from __future__ import annotations

import logging
import sys

import click
from sqlalchemy.exc import DBAPIError

from bot.commands import db, doctor, faq, init, ops, residents, roster, run, staff_import, users
from bot.commands.common import config_option
from bot.config import ConfigError
from knowledge_base.loader import KnowledgeBaseError


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


# Every `linli` command, from its module (`linli --help` lists them alphabetically).
COMMANDS = (run.serve, run.send, faq.faq_cli, roster.roster, ops.tick, ops.scheduler_cmd, users.user, init.init,
            staff_import.staff_cli, doctor.doctor, residents.resident, db.db)
for _command in COMMANDS:
    cli.add_command(_command)


def main() -> None:
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
