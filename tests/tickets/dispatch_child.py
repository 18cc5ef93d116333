"""A separate dispatcher process for the kill test: `dispatch_child.py DB_URL API_BASE_URL ISO_NOW`."""
from __future__ import annotations

import sys
from datetime import datetime

from bot.config import load_settings
from bot.outbox.dispatcher import dispatch_due
from bot.services import build_services
from tests.support.clock import MovableClock
from tests.support.harness import ROOT


def main(db_url: str, base_url: str, at: str) -> None:
    settings = load_settings(ROOT / "config.yaml", env={})
    settings.database.url = db_url
    settings.outbox.transport = "wechat"
    settings.wechat.api_base_url = base_url
    now = datetime.fromisoformat(at)
    services = build_services(settings, clock=MovableClock(now), migrate=False)
    dispatch_due(services, now=now, worker_id="child")


if __name__ == "__main__":
    main(*sys.argv[1:4])
