"""`linli resident erase OPENID`: erase one resident's personal data (docs/PRIVACY.md)."""
from __future__ import annotations

import click

from bot.commands.common import config_option, get_settings


@click.group()
def resident() -> None:
    """Residents' personal data."""


@resident.command("erase")
@config_option
@click.argument("open_id")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@click.pass_context
def erase(ctx: click.Context, open_id: str, yes: bool) -> None:
    """Delete OPEN_ID's contact card and messages; their tickets stay in the ledger, anonymised."""
    from sqlalchemy import func, select

    from bot.db import transaction
    from bot.db.models import InboundMessage, Ticket
    from bot.privacy.erase import erase_resident
    from bot.services import build_services

    services = build_services(get_settings(ctx))
    try:
        with transaction(services.session_factory) as s:
            messages = s.scalar(select(func.count()).where(InboundMessage.open_id == open_id))
            tickets = s.scalar(select(func.count()).where(Ticket.resident_open_id == open_id))
        click.echo(f"居民 {open_id}：消息 {messages} 条，工单 {tickets} 个。")
        if not yes and not click.confirm("删除该居民的个人信息（工单匿名保留在台账中）？此操作不可撤销", default=False):
            raise click.ClickException("已取消，没有任何改动。")
        with transaction(services.session_factory) as s:
            done = erase_resident(s, services, open_id, services.clock.now())
    finally:
        services.engine.dispose()
    if not done.total and not done.files:
        click.echo("没有找到该居民的数据，没有任何改动。")
        return
    click.echo(f"已删除：共 {done.total} 行记录、{done.files} 个文件（{_per_table(done.rows)}）。")


def _per_table(rows: dict[str, int]) -> str:
    return "，".join(f"{name} {n}" for name, n in sorted(rows.items()))
