"""WSGI entry point for gunicorn: `gunicorn 'bot.wsgi:app'` (config from $LINLI_CONFIG)."""
from bot import create_app

app = create_app()
