"""Rendered-fragment caching for the parts of a page that every reader shares (the menu,
the footer, the sidebar lists, an article's body and its related list).

Fragments live in each worker's memory (the "fragments" cache, LocMem): reading one costs
microseconds, not a file read or a network round trip. Their keys carry the *content
generation*, a number kept in the shared cache (file cache or Redis) and replaced on every
staff change to content (post_save/post_delete of news, documents and site models, and the
bulk admin actions): one shared read per page tells every worker that its fragments are
stale. What changes at a set time without a save (a scheduled article's publication, a
banner's or a poll's start and end) starts a new generation at that time: the apps name their
next such time (register_due), kept beside the generation, so the same read tells a worker
that it has come. Fragments also expire on their own (see the timeouts in the templates).

Lists shared by many readers (the home page's sections, a category's or a search's page of
articles, the library's filters and results) are fragments too, keyed by what selects them;
their views read the rows lazily, so a fragment found means no query for them.
"""

import time
from collections.abc import Callable
from datetime import datetime

from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.functional import SimpleLazyObject, cached_property

GEN_KEY = "portal:content-generation"
# Apps whose saved rows appear in shared fragments; high-churn rows (counters, tallies,
# comments, statistics) are excluded: they are never inside a fragment.
WATCHED_APPS = {"news", "documents", "pages", "banners", "polls", "contact", "schedule"}
IGNORED_MODELS = {"bodyimage", "vote", "outgoingmail"}
# What changes without a save (a scheduled article's time coming, view counts) shows within
# this, as the templates' fragment timeouts.
COUNT_SECONDS = 60


# Callables returning the next aware datetime at which an app's shared content changes on
# its own, or None (see register_due).
_due_sources: list[Callable[[datetime], datetime | None]] = []


def register_due(source: Callable[[datetime], datetime | None]) -> None:
    """`source(now)`: the next time after `now` at which the app's pages change without a
    save (called by bump(), so once per staff change and once per such time)."""
    _due_sources.append(source)


def generation() -> int:
    """The current content generation, from the shared cache (set on first use, and anew
    once the next scheduled change is due)."""
    value = cache.get(GEN_KEY)
    if value is None or (value[1] is not None and value[1] <= time.time()):
        return bump()
    return value[0]


def generation_for(request) -> int:
    """generation(), read from the shared cache once per request: the page cache's key,
    the banners and the page's fragments all ask (a save starts a new generation, and the
    request that saved redirects, so the next request reads it). Without a request (a
    block rendered outside a page), read it afresh."""
    if request is None:
        return generation()
    value = getattr(request, "content_generation", None)
    if value is None:
        value = request.content_generation = generation()
    return value


def lazy_generation(request):
    """For the template context: read only if a fragment asks (admin pages never do)."""
    return SimpleLazyObject(lambda: generation_for(request))


def bump() -> int:
    """Start a new generation; returns it."""
    now = timezone.now()
    dues = [due for source in _due_sources if (due := source(now)) is not None]
    value = time.time_ns()
    cache.set(GEN_KEY, (value, min(dues).timestamp() if dues else None), None)
    return value


def _on_change(sender, **kwargs):
    meta = sender._meta
    if meta.app_label in WATCHED_APPS and meta.model_name not in IGNORED_MODELS:
        bump()


def connect() -> None:
    post_save.connect(_on_change, dispatch_uid="portal-fragments-save")
    post_delete.connect(_on_change, dispatch_uid="portal-fragments-delete")


class CountCachedPaginator(Paginator):
    """Django's Paginator with the count kept for a minute under `count_key` (which carries
    the content generation) in each worker's memory, as the fragments: counting a filtered
    or searched list costs more than rendering a page of it, and the page's rows are read
    only when its cached fragment is missing."""

    def __init__(self, object_list, per_page, *, count_key: str):
        super().__init__(object_list, per_page)
        self.count_key = count_key

    @cached_property
    def count(self) -> int:
        return caches["fragments"].get_or_set(self.count_key, self.object_list.count, COUNT_SECONDS)


class LazyRows:
    """What Paginator pages, built only when it is needed: a list's count is kept under the
    paginator's `count_key` and its page's rows in a fragment, and where both are found,
    building the filtered queryset (a search, the library's filters) costs more than the
    rest of the page. `build()` returns the ordered queryset."""

    ordered = True  # Paginator's check: what build() returns is ordered

    def __init__(self, build: Callable):
        self._build = build

    @cached_property
    def queryset(self):
        return self._build()

    def count(self) -> int:
        return self.queryset.count()

    def __getitem__(self, index: slice):
        # The page's rows: read only where the page's fragment asks for them.
        return SimpleLazyObject(lambda: list(self.queryset[index]))
