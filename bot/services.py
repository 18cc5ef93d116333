"""The service container: everything handlers and jobs need, built once per process."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

from sqlalchemy import Engine
from sqlalchemy.orm import sessionmaker

from bot.clock import Clock, SystemClock
from bot.config import Settings
from bot.db import make_engine, make_session_factory, transaction, upgrade
from bot.roster.duty import ConfigDuty
from bot.faq_store.live import MatcherProvider, seed_faq
from bot.staff import StaffDirectory, seed_staff


@dataclass
class Services:
    settings: Settings
    engine: Engine
    session_factory: sessionmaker
    clock: Clock
    staff_directory: StaffDirectory = field(default_factory=StaffDirectory)
    duty: Any = None  # DutyProvider: ConfigDuty until the roster replaces it
    matchers: Any = None  # MatcherProvider: the live FAQ matcher, reloaded when the FAQ changes
    extras: dict[str, Any] = field(default_factory=dict)  # late-bound components (matcher, roster…)
    on_error_ticket: Callable | None = None
    pipeline: Any = None


def build_services(settings: Settings, clock: Clock | None = None, migrate: bool = True) -> Services:
    """Create engine, schema, seed data and the handler pipeline for one process."""
    from bot.redact import add_secret, install_log_redaction

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
    services.matchers = MatcherProvider(services.session_factory, faq_settings(settings))
    _wire_pipeline(services)
    return services


def _duty_provider(settings: Settings, directory: StaffDirectory):
    """The roster decides who is on duty, unless config names today's pair (desk.on_duty)."""
    if settings.desk.on_duty:
        return ConfigDuty(settings, directory)
    from bot.roster.store import RosterDuty

    return RosterDuty(settings, directory)


def _wire_pipeline(services: Services) -> None:
    from bot.pipeline import Pipeline
    from handlers import build_handlers
    from handlers.errors import make_error_hook

    services.pipeline = Pipeline(
        build_handlers(services), services.session_factory, services.clock, services.settings,
        services, on_error=make_error_hook(services),
    )


def faq_settings(settings: Settings):
    """The `faq:` config section as typed matcher settings."""
    from knowledge_base.settings import FaqSettings

    return FaqSettings(**settings.faq)


def routing_settings(settings: Settings):
    """The `routing:` config section as typed routing rules (defaults when empty)."""
    from knowledge_base.settings import RoutingSettings

    return RoutingSettings(**settings.routing)
