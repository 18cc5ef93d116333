"""Figures for issue 12A: webhook answer time with a locked table / hung PostgreSQL host, one WeChat API call against a drip server.

Usage: .venv/bin/python bench/hardening_figures.py   (needs PostgreSQL at 127.0.0.1:5432, as the tests do)
"""
import os, sys, tempfile, threading, time
sys.path.insert(0, "/work/main")
os.environ["LINLI_SPOOL_DIR"] = tempfile.mkdtemp()
os.environ["PYTEST_CURRENT_TEST"] = "measure"  # real adapters stay on 127.0.0.1
from sqlalchemy.engine import make_url
from tests.conftest import _pg_database
from bot.db import upgrade
from tests.support.harness import Desk, test_settings
from tests.faults.test_slow_database import _hold_lock, _post
from tests.faults.stall_proxy import StallProxy
from tests.faults.test_slow_api import DripServer
from bot.outbox.transports import Delivery, DeliveryError, build_transports

url, drop = _pg_database("postgresql+psycopg://postgres@127.0.0.1:5432/test"); upgrade(url)
try:
    d = Desk(test_settings(url)); d.send("你好", as_="o_w", msg_id=1)
    rel, locked = threading.Event(), threading.Event()
    threading.Thread(target=_hold_lock, args=(d, url, rel, locked), daemon=True).start(); locked.wait(10)
    print("PG table locked: status %s, %.2f s" % (lambda r: (r[0], r[2]))(_post(d, "o_l", "几点开门", 99001))); rel.set()
    u = make_url(url); proxy = StallProxy((u.host, u.port or 5432))
    d2 = Desk(test_settings(u.set(port=proxy.port).render_as_string(hide_password=False))); d2.send("你好", as_="o_w", msg_id=2)
    proxy.stall()
    print("PG host hung (stalling proxy): status %s, %.2f s" % (lambda r: (r[0], r[2]))(_post(d2, "o_h", "几点开门", 99002)))
    proxy.close()
    drip = DripServer(); s = d.settings
    s.outbox.transport, s.outbox.send_timeout_s, s.wechat.api_base_url = "wechat", 5.0, drip.base_url
    t0 = time.monotonic()
    try:
        build_transports(d.services).send(Delivery(1, "customer_service", "o_x", "您好"))
    except DeliveryError as e:
        print("drip API (1 byte/s, send_timeout_s 5): %.2f s, %s" % (time.monotonic() - t0, e))
finally:
    drop()
