"""No resident open_id in access logs (issue 12, finding 14): WeChat's callback query names the sender.

The masking itself is 12A's process-wide log redaction (bot/redact.py, installed by build_services):
these tests hold it to the privacy promise for both servers that write access logs.
"""
from __future__ import annotations

import io
import logging
import threading
import urllib.error
import urllib.request
from datetime import timedelta
from types import SimpleNamespace

from gunicorn.config import Config
from gunicorn.glogging import Logger
from werkzeug.serving import make_server

SECRET = "o_resident_who_must_not_be_logged"
QUERY = f"signature=abc&timestamp=1764550800&nonce=42&openid={SECRET}&encrypt_type=aes&msg_signature=def"


def test_the_development_server_logs_no_open_id(desk, caplog):
    server = make_server("127.0.0.1", 0, desk.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    caplog.set_level(logging.INFO, logger="werkzeug")
    try:
        urllib.request.urlopen(f"http://127.0.0.1:{server.port}/wechat?{QUERY}", data=b"<xml/>", timeout=10)
    except urllib.error.HTTPError as exc:  # refused (bad signature): still one access-log line
        assert exc.code in (400, 403)
    finally:
        server.shutdown()
        thread.join(5)
    assert "POST /wechat" in caplog.text, caplog.text
    assert SECRET not in caplog.text and "openid" not in caplog.text


def test_gunicorn_access_log_carries_no_open_id(desk):
    cfg = Config()
    cfg.set("accesslog", "-")
    logger = Logger(cfg)
    out = io.StringIO()
    logger.access_log.handlers = [logging.StreamHandler(out)]
    environ = {"REQUEST_METHOD": "POST", "RAW_URI": f"/wechat?{QUERY}", "SERVER_PROTOCOL": "HTTP/1.1",
               "PATH_INFO": "/wechat", "QUERY_STRING": QUERY, "REMOTE_ADDR": "101.226.103.1"}
    resp = SimpleNamespace(status="200 OK", sent=7, headers=[])
    logger.access(resp, SimpleNamespace(headers=[]), environ, timedelta(milliseconds=12))
    line = out.getvalue()
    assert "POST /wechat" in line and SECRET not in line
