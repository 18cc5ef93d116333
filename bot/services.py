"""The service container: everything handlers and jobs need, built once per process."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import make_engine, make_session_factory, transaction, upgrade
from bot.faq_store.live import MatcherProvider, seed_faq
from bot.outbox.transports import Transports
from bot.pipeline import Pipeline
from bot.redact import add_secret, install_log_redaction
from bot.roster.duty import ConfigDuty, DutyProvider
from bot.roster.store import RosterDuty
from bot.spool import Spool
from bot.staff import StaffDirectory, seed_staff
from bot.wechat.api import LinliWeChatClient
from handlers import build_handlers
from handlers.errors import make_error_hook


@dataclass
class Services:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker
    clock: Clock
    staff_directory: StaffDirectory = field(default_factory=StaffDirectory)
    duty: DutyProvider | None = None  # the roster, or config's fixed pair (desk.on_duty)
    matchers: MatcherProvider | None = None  # the live FAQ matcher, reloaded when the FAQ changes
    pipeline: Pipeline | None = None
    # Built on first use in this process:
    transports: Transports | None = None  # bot.outbox.dispatcher.transports_for
    media_client: LinliWeChatClient | None = None  # bot.tickets.media (media/get downloads)
    spool: Spool | None = None  # bot.spool.spool_for (messages kept while the database is away)
    media_dir: Path | str | None = None  # where media files go (default: $LINLI_MEDIA_DIR, var/media)


def build_services(settings: Settings, clock: Clock | None = None, migrate: bool = True) -> Services:
    """Create engine, schema, seed data and the handler pipeline for one process."""
    install_log_redaction()  # secrets and query strings never reach a log line of this process
    add_secret(settings.wechat.appsecret)
    if migrate:
        upgrade(settings.database.url)
    engine = make_engine(settings.database.url, settings.database.echo, settings.database.pool_size)
    services = Services(settings, engine, make_session_factory(engine), clock or SystemClock())
    services.duty = _duty_provider(settings, services.staff_directory)
    with transaction(services.session_factory) as session:
        seed_staff(session, settings)
        if settings.knowledge_base:  # null: start with an empty FAQ (an import fills it)
            seed_faq(session, settings.knowledge_base, services.clock.now())
    services.matchers = MatcherProvider(services.session_factory, settings.faq)
    _wire_pipeline(services)
    return services


def _duty_provider(settings: Settings, directory: StaffDirectory) -> DutyProvider:
    """The roster decides who is on duty, unless config names today's pair (desk.on_duty)."""
    if settings.desk.on_duty:
        return ConfigDuty(settings, directory)
    return RosterDuty(settings, directory)


def _wire_pipeline(services: Services) -> None:
    services.pipeline = Pipeline(
        build_handlers(services), services.session_factory, services.clock, services.settings,
        services, on_error=make_error_hook(services),
    )
