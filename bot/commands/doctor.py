"""`linli doctor`: is this deployment ready? One Chinese line per check; exit 0 ok, 1 warnings, 2 failures."""
from __future__ import annotations

import sys
from datetime import datetime, timezone
from zoneinfo import ZoneInfo

import click

from bot.commands.common import config_option
from bot.commands.doctor_checks import Result, check_config, check_database, check_lease, check_outbox
from bot.commands.doctor_desk import check_duty_channels, check_holidays, check_spool, check_spool_disk
from bot.commands.doctor_wechat import check_api, check_url

MARK = {"ok": "[正常]", "warn": "[注意]", "fail": "[失败]", "skip": "[跳过]"}
EXIT = {"ok": 0, "skip": 0, "warn": 1, "fail": 2}


@click.command("doctor")
@config_option
@click.option("--url", default=None, help="Public webhook URL to test with a signed GET, e.g. https://host/wechat")
@click.pass_context
def doctor(ctx: click.Context, url: str | None) -> None:
    """Check config, database, WeChat, scheduler, outbox, duty channels, holidays and spool."""
    from bot.config import ConfigError, load_settings

    try:
        settings = load_settings(ctx.ensure_object(dict).get("config"))
    except ConfigError as exc:
        _report([Result("fail", "配置", str(exc))])
    results = run_checks(settings, url)
    _report(results)


def run_checks(settings, url: str | None, now: datetime | None = None) -> list[Result]:
    """Every check, in reading order; database checks are skipped when the database is not usable."""
    from bot.db import make_engine, make_session_factory, transaction

    now = now or datetime.now(timezone.utc)
    engine = make_engine(settings.database.url, null_pool=True)
    try:
        factory = make_session_factory(engine)
        results = [check_database(engine)]
        results.insert(0, check_config(settings, factory if results[0].status == "ok" else None))
        results.append(check_url(url, settings.wechat.token, int(now.timestamp())))
        db_ok = results[1].status == "ok"
        results.append(check_api(settings, _token_store(settings, factory) if db_ok else None))
        if db_ok:
            today = now.astimezone(ZoneInfo(settings.desk.timezone)).date()
            with transaction(factory) as session:
                results += [check_lease(session, settings, now), check_outbox(session, now),
                            check_duty_channels(session, settings, today)]
        else:
            results += [Result("skip", label, "数据库不可用，未检查") for label in ("调度程序", "消息推送", "值班通知")]
        results += [check_holidays(settings, now.date()), check_spool(settings), check_spool_disk(settings)]
    finally:
        engine.dispose()
    return results


def _token_store(settings, factory):
    """Keep the fetched token in the shared store, so the dispatcher uses it instead of a replaced one."""
    from bot.clock import SystemClock
    from bot.wechat.api import DbTokenStorage

    storage = DbTokenStorage(factory, settings.wechat.appid, SystemClock())
    return lambda token, ttl: storage.set("access_token", token, ttl)


def _report(results: list[Result]) -> None:
    """Print one line per check and a summary; exit with the worst status."""
    for r in results:
        click.echo(f"{MARK[r.status]} {r.label}：{r.detail}")
    worst = max(EXIT[r.status] for r in results)
    fails = sum(r.status == "fail" for r in results)
    warns = sum(r.status == "warn" for r in results)
    click.echo("全部正常。" if worst == 0 else f"共 {len(results)} 项：{fails} 项失败，{warns} 项需注意。")
    sys.exit(worst)
