"""Shared roster fixtures: the holiday calendar and the 13 demo staff."""
from __future__ import annotations

import pytest

from bot.roster import HolidayCalendar, StaffMember

from tests.roster.support import NAMES


@pytest.fixture(scope="session")
def calendar() -> HolidayCalendar:
    return HolidayCalendar()


@pytest.fixture
def staff() -> list[StaffMember]:
    return [StaffMember(n) for n in NAMES]
