"""WSGI entry point for gunicorn: `gunicorn 'bot.wsgi:app'` (config from $LINLI_CONFIG)."""
import sys

from bot import create_app
from bot.config import ConfigError
from bot.production import refuse_demo_values

try:
    app = create_app()
    refuse_demo_values(app.extensions["linli"].settings, app.extensions["linli"].session_factory)
except ConfigError as exc:  # one clear line, not a traceback, for a wrong or missing key
    sys.stderr.write(f"linli: config error: {exc}\n")
    raise SystemExit(2) from None
