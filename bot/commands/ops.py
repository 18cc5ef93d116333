"""`linli tick --at` and `linli scheduler`: operate the scheduler."""
from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

import click

from bot.commands.common import config_option, get_settings

LABELS = {"escalations": "升级提醒", "handover": "交班", "duty_change": "值班变更", "morning_digest": "夜间汇总",
          "report": "日报", "overdue": "逾期工单日报", "privacy": "隐私数据清理", "outbox": "外发消息"}


def parse_at(value: str | None, tz: str) -> datetime | None:
    """An ISO time; a time without offset is read in the desk's timezone."""
    if not value:
        return None
    try:
        at = datetime.fromisoformat(value)
    except ValueError:
        raise click.ClickException(f"时间格式不对：{value}（例如 2026-12-01T09:15:00+08:00）") from None
    return at if at.tzinfo else at.replace(tzinfo=ZoneInfo(tz))


@click.command()
@config_option
@click.option("--at", "at", default=None, help="ISO time to run the sweeps at (default: now).")
@click.option("--json", "as_json", is_flag=True, help="Print the summary as JSON.")
@click.pass_context
def tick(ctx: click.Context, at: str | None, as_json: bool) -> None:
    """Run one round of every sweep (escalations, handover, report, outbox) and print what it did."""
    from bot.services import build_services
    from scheduler import run_once

    settings = get_settings(ctx)
    when = parse_at(at, settings.desk.timezone)
    services = build_services(settings)
    try:
        summary = run_once(services, when, by="tick")
    finally:
        services.engine.dispose()
    if as_json:
        click.echo(json.dumps(summary, ensure_ascii=False, indent=2))
        return
    click.echo(f"时间：{summary['at']}")
    for key, label in LABELS.items():
        value = summary.get(key)
        if isinstance(value, list):
            click.echo(f"{label}：{len(value)} 条")
            for line in value:
                click.echo(f"  {line}")
        elif value is None:
            click.echo(f"{label}：本轮无事可做")
        elif key == "outbox" and isinstance(value, int):
            click.echo(f"{label}：发出 {value} 条")
        else:
            click.echo(f"{label}：{json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value}")


@click.command("scheduler")
@config_option
@click.pass_context
def scheduler_cmd(ctx: click.Context) -> None:
    """Run the scheduler process until SIGTERM (several may run; one holds the lease)."""
    from bot.production import refuse_demo_values
    from bot.services import build_services
    from scheduler import run_until_stopped

    services = build_services(get_settings(ctx))
    refuse_demo_values(services.settings, services.session_factory)  # it sends with the AppSecret
    run_until_stopped(services)
