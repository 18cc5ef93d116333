"""WSGI entry point for gunicorn: `gunicorn 'bot.wsgi:app'` (config from $LINLI_CONFIG)."""
import logging
import sys

from bot.app import create_app
from bot.config import ConfigError
from bot.production import refuse_demo_values

try:
    app = create_app()
    refuse_demo_values(app.extensions["linli"].settings, app.extensions["linli"].session_factory)
    # Load the sentence model and build the FAQ index now: under `gunicorn --preload` this runs
    # once in the master and every worker shares it (copy-on-write); without it, each worker
    # does it on its first message.
    try:
        app.extensions["linli"].matchers.current()
    except Exception:  # noqa: BLE001 - the database may be away; the first message builds it then
        logging.getLogger("linli.wsgi").exception("FAQ index not built at start; it will be on first use")
except ConfigError as exc:  # one clear line, not a traceback, for a wrong or missing key
    sys.stderr.write(f"linli: config error: {exc}\n")
    raise SystemExit(2) from None
