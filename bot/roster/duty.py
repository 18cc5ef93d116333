"""Who is on duty: the interface handlers use, and the config-based implementation.

The roster (bot/roster, scheduler) provides a database-backed implementation with the same
methods; until then today's pair comes from `desk.on_duty` in config.
"""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from sqlalchemy.orm import Session

from bot.db.models import Staff
from bot.staff import StaffDirectory


class DutyProvider(Protocol):
    def on_duty(self, session: Session, at: datetime) -> list[Staff]:
        """The staff on duty at `at` (normally two)."""

    def leads(self, session: Session) -> list[Staff]:
        """The leads to notify on escalations and urgent tickets."""


class ConfigDuty:
    """Today's pair from config (`desk.on_duty`), else the first two eligible active staff."""

    def __init__(self, settings, directory: StaffDirectory | None = None):
        self.settings = settings
        self.directory = directory or StaffDirectory()

    def on_duty(self, session: Session, at: datetime) -> list[Staff]:
        staff = [s for s in self.directory.active(session) if s.eligible]
        named = [s for s in staff if s.name in self.settings.desk.on_duty]
        return named or staff[:2]

    def leads(self, session: Session) -> list[Staff]:
        return self.directory.leads(session)
