"""Gunicorn settings for `make run`, `make bench` and production.

Every value that differs between machines comes from the environment; a `--bind` or
`--workers` on the command line still wins over this file. The app is not preloaded:
each worker imports Django and opens its own database connection after the fork, so no
`post_fork` work is needed.
"""

from portal.env import env_int, env_str

wsgi_app = "portal.wsgi:application"
bind = [env_str("BIND", "127.0.0.1:8000")]
# Sync workers: pages are short database reads; 2-4 per core is the usual sizing.
workers = env_int("WEB_CONCURRENCY", 4)
worker_class = "sync"
timeout = 30
graceful_timeout = 20
# The reverse proxy keeps the access log; set ACCESS_LOG=- to log here too.
accesslog = env_str("ACCESS_LOG", "") or None
errorlog = "-"
loglevel = env_str("GUNICORN_LOG_LEVEL", "info")


def worker_exit(server, worker):
    """Write this worker's buffered counts (views, downloads, banner impressions, page
    views) before it goes (graceful stop, reload, timeout), so a deploy loses no count.
    Runs in the worker process."""
    try:
        from stats import counting

        counting.buffer.stop()
    except Exception:
        server.log.exception("could not flush the buffered counts of worker %s", worker.pid)
