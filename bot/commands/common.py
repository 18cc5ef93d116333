"""What every `linli` command shares: the --config option and the settings it names."""
from __future__ import annotations

import click

from bot.config import ConfigError, Settings, load_settings


def _remember_config(ctx: click.Context, _param, value):
    if value:
        ctx.ensure_object(dict)["config"] = value
    return value


def config_option(fn):
    """--config FILE on any command; the innermost one given wins."""
    return click.option("--config", "config_path", type=click.Path(dir_okay=False), expose_value=False,
                        callback=_remember_config, is_eager=True,
                        help="Config file (else $LINLI_CONFIG, ./config.yaml, /etc/linli/config.yaml).")(fn)


def get_settings(ctx: click.Context) -> Settings:
    """Load settings once per invocation; config errors become one clear line."""
    obj = ctx.ensure_object(dict)
    if "settings" not in obj:
        try:
            obj["settings"] = load_settings(obj.get("config"))
        except ConfigError as exc:
            raise click.ClickException(f"配置错误 / config error: {exc}") from None
    return obj["settings"]
