"""Rendered-fragment caching for the parts of a page that every reader shares (the menu,
the footer, the sidebar lists, an article's body and its related list).

Fragments live in each worker's memory (the "fragments" cache, LocMem): reading one costs
microseconds, not a file read or a network round trip. Their keys carry the *content
generation*, a number kept in the shared cache (file cache or Redis) and replaced on every
staff change to content (post_save/post_delete of news, documents and site models, and the
bulk admin actions): one shared read per page tells every worker that its fragments are
stale. Fragments also expire on their own (see the timeouts in the templates), so anything
that changes without a save (a scheduled article's time coming) shows within a minute.

This is not a page cache: per-reader parts (view counts, the comment form, banners chosen
per view) are rendered on every request.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.utils.functional import SimpleLazyObject

GEN_KEY = "portal:content-generation"
# Apps whose saved rows appear in shared fragments; high-churn rows (counters, tallies,
# comments, statistics) are excluded: they are never inside a fragment.
WATCHED_APPS = {"news", "documents", "pages", "banners", "polls", "contact", "schedule"}
IGNORED_MODELS = {"dailytally", "bodyimage", "vote", "outgoingmail"}


_local = {"value": None, "until": 0.0}


def generation() -> int:
    """The current content generation. Each worker re-reads it from the shared cache at
    most every CONTENT_GEN_LOCAL_SECONDS (1 s): a staff change reaches every worker within
    a second, and a page view costs no shared-cache read at all most of the time."""
    now = time.monotonic()
    if _local["value"] is not None and now < _local["until"]:
        return _local["value"]
    value = cache.get(GEN_KEY)
    if value is None:
        cache.add(GEN_KEY, time.time_ns(), None)
        value = cache.get(GEN_KEY, 0)
    _local["value"], _local["until"] = value, now + settings.CONTENT_GEN_LOCAL_SECONDS
    return value


def lazy_generation():
    """For the template context: read from the shared cache only if a fragment asks."""
    return SimpleLazyObject(generation)


def bump() -> None:
    value = time.time_ns()
    cache.set(GEN_KEY, value, None)
    _local["value"], _local["until"] = value, 0.0  # this worker sees its own change at once


def _on_change(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in WATCHED_APPS and meta.model_name not in IGNORED_MODELS:
        bump()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="portal-fragments-save")
    post_delete.connect(_on_change, dispatch_uid="portal-fragments-delete")
