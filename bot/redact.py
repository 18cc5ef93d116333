"""Secrets out of logs and stored errors: query strings, secret parameters and known secret values.

WeChat's token URL carries the AppSecret (`…/token?…&secret=`) and every API call the access token
(`?access_token=`); requests/urllib3 put those URLs into exception texts and WARNING logs. `redact()`
cleans a text; `install_log_redaction()` makes every log record of the process go through it.
"""
from __future__ import annotations

import logging
import re
import threading

MASK = "[redacted]"
# name=value pairs whose value is a credential, wherever they appear (URLs, JSON-ish dumps, messages).
_SECRET_PAIRS = re.compile(
    r"""(?i)\b((?:app)?secret|corpsecret|access_token|refresh_token|key|password|passwd|signature|"""
    r"""msg_signature|token|sessionid)(["']?\s*[=:]\s*["']?)([^&\s'",;)}]+)""")
# A URL or request path followed by a query string: the whole query goes (it may carry openid=, nonce=…).
_QUERY = re.compile(r"""((?:https?://[^\s/?#'"]+)?/[^\s?#'"]*)\?[^\s'"#)]+""")

_known: set[str] = set()
_lock = threading.Lock()


def add_secret(value: str | None) -> None:
    """Remember a secret value (AppSecret, WeCom secret, a fresh access token) to mask it anywhere."""
    if value and len(value) >= 6:
        with _lock:
            _known.add(value)


def redact(text: str) -> str:
    """The text with query strings, credential parameters and known secret values masked."""
    if not text:
        return text
    text = _QUERY.sub(lambda m: f"{m.group(1)}?{MASK}", text)
    text = _SECRET_PAIRS.sub(lambda m: f"{m.group(1)}{m.group(2)}{MASK}", text)
    for value in tuple(_known):
        text = text.replace(value, MASK)
    return text


def install_log_redaction() -> None:
    """Every log record in this process is redacted when it is created (message and traceback)."""
    current = logging.getLogRecordFactory()
    if getattr(current, "linli_redacting", False):
        return

    def factory(*args, **kwargs):
        record = current(*args, **kwargs)
        try:
            _redact_record(record)
        except Exception:  # a malformed record: logging itself reports it when formatting
            pass
        return record

    factory.linli_redacting = True  # type: ignore[attr-defined]
    logging.setLogRecordFactory(factory)


def _redact_record(record: logging.LogRecord) -> None:
    message = record.getMessage()
    cleaned = redact(message)
    if cleaned != message:
        record.msg, record.args = cleaned, ()
    if record.exc_info and record.exc_info[1] is not None:
        # Formatters reuse exc_text when set, so the traceback they print is the cleaned one.
        record.exc_text = redact(logging.Formatter().formatException(record.exc_info))
