"""The cached HTML of an article's first page of approved comments.

Most readers see only the first page, and it changes only when a moderator acts (or a
comment is published at once), so it is rendered once and kept in the shared cache. Each
article has a random version in the cache; every write that changes what readers see
(comments.services) gives it a new version after its commit, so an old fragment is never
used again and no delete has to reach every worker. A lost version (cache eviction) is
simply a new one: a miss, never a stale page.
"""

import uuid

from django.core.cache import cache

from portal import fragments as portal_fragments

TIMEOUT = 3600
VERSION_TIMEOUT = 30 * 24 * 3600


def _version_key(article_id: int) -> str:
    return f"comments:list-version:{article_id}"


def version(article_id: int) -> str:
    key = _version_key(article_id)
    current = cache.get(key)
    if current is None:
        cache.add(key, uuid.uuid4().hex, VERSION_TIMEOUT)
        current = cache.get(key) or "none"
    return current


def key(article_id: int, page_number: int) -> str:
    return f"comments:list:{article_id}:{version(article_id)}:{page_number}"


def invalidate(article_id: int) -> None:
    cache.set(_version_key(article_id), uuid.uuid4().hex, VERSION_TIMEOUT)
    # Cached pages show the comment count and list too: a moderator's action shows at once.
    portal_fragments.bump()
