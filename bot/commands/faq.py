"""`linli faq …`: ask and eval (knowledge_base), import and export (the database)."""
from __future__ import annotations

from pathlib import Path

import click

from bot.commands.common import config_option, get_settings
from bot.commands.faq_template import faq_template
from knowledge_base.cli import faq_commands
from knowledge_base.settings import FaqSettings, RoutingSettings


def _configured_settings(ctx: click.Context) -> tuple[FaqSettings, RoutingSettings]:
    """ask and eval use the config file's thresholds and routing rules."""
    settings = get_settings(ctx)
    return settings.faq, settings.routing


@click.group("faq")
def faq_cli() -> None:
    """FAQ knowledge base: ask, evaluate, import, export."""


def _services(ctx: click.Context):
    from bot.services import build_services

    return build_services(get_settings(ctx))


@click.command("import")
@config_option
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--author", default="cli", show_default=True)
@click.option("--replace", is_flag=True, help="Disable stored entries the file does not hold (e.g. the sample FAQ).")
@click.pass_context
def faq_import(ctx: click.Context, path: str, author: str, replace: bool) -> None:
    """Import FAQ entries from a YAML or xlsx file into the database (all or nothing)."""
    from bot.db import transaction
    from bot.faq_store.revisions import export_entries, import_entries
    from knowledge_base.loader import KnowledgeBaseError

    services = _services(ctx)
    try:
        with transaction(services.session_factory) as session:
            # An xlsx file without some column keeps the stored values of that column.
            entries = _read_entries(path, {e.id: e for e in export_entries(session)})
            report = import_entries(session, entries, author, services.clock.now())
            disabled = _disable_others(session, entries, author, services.clock.now()) if replace else []
    except KnowledgeBaseError as exc:
        raise click.ClickException(f"导入失败，未做任何修改 / import refused, nothing changed: {exc}") from None
    click.echo(f"{path}: {report}")
    if disabled:
        click.echo(f"已停用不在文件中的 {len(disabled)} 条问答（可在后台重新启用）：{'、'.join(disabled[:10])}"
                   + ("……" if len(disabled) > 10 else ""))


def _disable_others(session, entries, author: str, now) -> list[str]:
    """--replace: entries the file does not hold stop answering (kept with their history, not deleted)."""
    from bot.faq_store.revisions import export_entries, set_enabled

    keep = {e.id for e in entries}
    gone = [e.id for e in export_entries(session) if e.enabled and e.id not in keep]
    for slug in gone:
        set_enabled(session, slug, False, author, now)
    return gone


@click.command("export")
@config_option
@click.argument("path", type=click.Path(dir_okay=False))
@click.pass_context
def faq_export(ctx: click.Context, path: str) -> None:
    """Export the database's FAQ to a YAML or xlsx file (by extension)."""
    from bot.db import transaction
    from bot.faq_store.revisions import export_entries

    services = _services(ctx)
    with transaction(services.session_factory) as session:
        entries = export_entries(session)
    _write_entries(path, entries)
    click.echo(f"{path}: {len(entries)} entries")


def _read_entries(path: str, existing: dict | None = None):
    from knowledge_base.loader import load_kb

    if Path(path).suffix.lower() == ".xlsx":
        from bot.faq_store.xlsx import read_xlsx

        return read_xlsx(path, existing=existing)
    return load_kb(path)


def _write_entries(path: str, entries) -> None:
    from knowledge_base.loader import dump_kb

    if Path(path).suffix.lower() == ".xlsx":
        from bot.faq_store.xlsx import write_xlsx

        write_xlsx(path, entries)
    else:
        Path(path).write_text(dump_kb(entries, {"name": "Linli FAQ export", "version": 1}), encoding="utf-8")


for _command in (*faq_commands(_configured_settings, config_option), faq_import, faq_export, faq_template):
    faq_cli.add_command(_command)
