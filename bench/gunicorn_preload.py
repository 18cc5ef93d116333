"""gunicorn settings: load the app (and its dictionaries) once in the master, share it with the workers.

    gunicorn -c bench/gunicorn_preload.py -w 4 -k gthread --threads 2 'bot.wsgi:app'

jieba's and pypinyin's dictionaries are ~130 MB per process; preloaded, the workers share those pages
copy-on-write. Database connections opened in the master are dropped in each worker after the fork.
"""
preload_app = True


def post_fork(server, worker):
    """Never share the master's pooled database connections with a worker."""
    app = server.app.wsgi()
    services = app.extensions.get("linli")
    if services is not None:
        services.engine.dispose(close=False)


def when_ready(server):
    """Build the FAQ matcher (jieba, pypinyin, opencc) before forking, so every worker shares it."""
    services = server.app.wsgi().extensions.get("linli")
    if services is not None:
        services.matchers.current().match("暖气不热找谁")
        services.engine.dispose()
