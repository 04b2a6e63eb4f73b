"""A per-reader request budget for public POSTs that no rule of their own already bounds.

A fixed window in the shared cache (file cache or Redis, the same for every worker): the
first request of a reader in a scope starts a window of `window` seconds, and requests past
`limit` in it are refused. The key is the anonymous daily reader id (stats.readers), so no
address is kept here either. A failing cache lets the request through: a limit that cannot
be checked must not take voting down with it.
"""

import logging

from django.core.cache import cache

log = logging.getLogger(__name__)


def allow(scope: str, reader: bytes, *, limit: int, window: int) -> bool:
    """Count one request of `reader` in `scope`; False once it is over `limit`."""
    key = f"ratelimit:{scope}:{bytes(reader).hex()}"
    try:
        cache.add(key, 0, timeout=window)
        try:
            count = cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(key, 1, timeout=window)
            count = 1
    except Exception:
        log.exception("rate limit %s could not be checked", scope)
        return True
    return count <= limit
