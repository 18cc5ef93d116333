"""The scheduler lease: one holder at a time, takeover after expiry, fencing."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from bot.db import make_engine, make_session_factory, transaction
from bot.lease import Lease, LeaseLost


class Clock:
    def __init__(self):
        self.t = datetime(2026, 12, 1, 1, 0, tzinfo=timezone.utc)

    def __call__(self):
        return self.t


@pytest.fixture
def factory(db_url):
    engine = make_engine(db_url)
    yield make_session_factory(engine)
    engine.dispose()


def test_only_one_holder_and_takeover_after_expiry(factory):
    clock = Clock()
    a = Lease(factory, 20, holder="A", now=clock)
    b = Lease(factory, 20, holder="B", now=clock)
    assert a.acquire() and a.fencing == 1
    assert not b.acquire() and not b.held
    clock.t += timedelta(seconds=15)
    assert a.acquire() and not b.acquire()  # renewed: B still waits
    clock.t += timedelta(seconds=21)  # A stopped renewing (died)
    assert not a.held
    assert b.acquire() and b.fencing == 2
    assert not a.acquire() and a.fencing is None
    assert b.current().holder == "B"


def test_fencing_stops_a_stale_holder_from_committing(factory):
    clock = Clock()
    a = Lease(factory, 20, holder="A", now=clock)
    b = Lease(factory, 20, holder="B", now=clock)
    a.acquire()
    with transaction(factory) as s:
        a.fence(s)  # still ours: no error
    clock.t += timedelta(seconds=30)
    b.acquire()
    with pytest.raises(LeaseLost), transaction(factory) as s:
        a.fence(s)


def test_release_lets_a_standby_take_over_at_once(factory):
    clock = Clock()
    a = Lease(factory, 20, holder="A", now=clock)
    b = Lease(factory, 20, holder="B", now=clock)
    a.acquire()
    a.release()
    assert b.acquire() and b.fencing == 2
