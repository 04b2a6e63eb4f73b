"""Page cache for anonymous readers, with explicit per-view parts.

Reader pages (home, categories, articles, documents, static pages, search) whose views are
marked `cacheable` are kept whole for PAGE_CACHE_SECONDS in the "pages" cache (Django's
cache API; each worker's memory, so a hit reads no file and decompresses nothing), keyed
by the URL and the content generation (portal.fragments, kept in the shared cache), so a
staff change shows at once in every worker: the same shape as a whole-site cache
invalidated by events. Only readers without a session or any cookie of
ours but the CSRF cookie and the cookies apps declare harmless (`allow_cookie`) are served
from it; logged-in staff, readers with a flash message or a pending comment always get a
freshly rendered page.

What differs per page view is declared in the templates with `{% per_view "name" arg %}`
(portal_tags): the banners chosen per view and their impressions, the statistics block,
the reader's own rating. While a page is rendered for the cache, the tag writes a marker
instead of the value; the page is split at the markers once, when it is stored, and every
response made from it (the render itself and every hit) calls the function registered for
each part (`register`) with its request.
Nothing is searched for in the HTML, and outside the cache the tag simply calls the
function.

Tokens are not parts: cached HTML carries none (a CSRF token would be another reader's),
and a form names where its tokens come from (data-tokens: portal.views.form_tokens, or
the comments app's, which adds the comment form's "opened" time); static/js/forms.js
fetches them when the form comes into view. So a hit mints nothing and sets no cookie
(a new CSRF secret and its masking cost more than all the parts above together).

Counting: a view records what it counted (`count_on_hit`) and every hit counts it again
through the registered counter (stats.counting), with the same once-per-reader rules (the stats middleware sees
every hit as a page view too).

Single flight: when many requests of one process (threaded workers) miss the same page at
once (a new viral article, a staff change), one renders it and the others wait for its
copy (at most WAIT_SECONDS) instead of all rendering it, then render it themselves if it
has not come.
"""

import hashlib
import logging
import secrets
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from portal import fragments

log = logging.getLogger(__name__)

KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
# Cookies that do not change a page, or whose effect is a per-view part.
_allowed_cookies = {settings.CSRF_COOKIE_NAME}
# Random per process: neither an article body nor a reader's text can forge a marker, and
# a page is split by the process that rendered it.
_MARK = f"\x1f{secrets.token_hex(8)}\x1f"
_parts: dict[str, Callable] = {}
_counter: Callable | None = None


def _store():
    return caches["pages"]


def register(name: str, fill: Callable) -> None:
    """`fill(request, argument)` returns the (escaped, safe) HTML of part `name` for one
    page view."""
    _parts[name] = fill


def register_counter(count: Callable) -> None:
    """`count(kind, object_id, request)` counts, on every hit, what the view recorded with
    count_on_hit (stats registers its counter: portal imports no app)."""
    global _counter
    _counter = count


def allow_cookie(name: str) -> None:
    """Readers holding cookie `name` may still be served from the cache (its effect on the
    page is a per-view part)."""
    _allowed_cookies.add(name)


def per_view(request, name: str, argument: str = ""):
    """What `{% per_view %}` writes: a marker while the page is rendered for the cache,
    else the part itself."""
    if getattr(request, "_page_cache_render", False):
        return mark_safe(f"{_MARK}{name}:{argument}{_MARK}")  # noqa: S308 - no markup
    return mark_safe(_parts[name](request, argument))  # noqa: S308 - escaped by its filler


def cacheable(view):
    """Mark a view's successful responses as fit for the page cache."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response.page_cache = getattr(response, "page_cache", None) or {"count": []}
        return response

    wrapped.page_cacheable = True  # kept by outer decorators' @wraps; see process_view
    return wrapped


def count_on_hit(response, kind: str, object_id: int) -> None:
    """Have every cached hit of this response count (kind, object_id) like the view did."""
    response.page_cache = getattr(response, "page_cache", None) or {"count": []}
    response.page_cache["count"].append((kind, object_id))


def eligible(request) -> bool:
    return (
        request.method == "GET"
        and not (request.COOKIES.keys() - _allowed_cookies)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def key_for(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{fragments.generation_for(request)}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _storable(response) -> bool:
    return (
        getattr(response, "page_cache", None) is not None
        and response.status_code == 200
        and not (set(response.cookies) - _allowed_cookies)
    )


def split(content: str) -> list:
    """The page as stored: its text (UTF-8 bytes, the pages' charset, so a hit encodes only
    what it fills in) alternating with (name, argument) of each per-view part."""
    pieces = content.split(_MARK)
    parts: list = []
    for index, piece in enumerate(pieces):
        if index % 2:
            name, _, argument = piece.partition(":")
            parts.append((name, argument))
        else:
            parts.append(piece.encode())
    return parts


def fill(request, parts: list) -> bytes:
    """The page's bytes for this view: each part made once per page (one CSRF token serves
    every form on it)."""
    made: dict[tuple, bytes] = {}
    out = []
    for part in parts:
        if isinstance(part, bytes):
            out.append(part)
            continue
        value = made.get(part)
        if value is None:
            name, argument = part
            value = made[part] = str(_parts[name](request, argument)).encode()
        out.append(value)
    return b"".join(out)


def serve(request, entry):
    response = HttpResponse(fill(request, entry["parts"]))
    for header, value in entry["headers"]:
        response[header] = value
    response["X-Page-Cache"] = "hit"
    if _counter is not None:
        for kind, object_id in entry["count"]:
            _counter(kind, object_id, request)
    patch_vary_headers(response, ("Cookie",))
    return response


# Single flight (see the module's docstring). The lock expires by itself if its holder
# dies; waiters poll the store for the holder's copy.
LOCK_SECONDS = 10
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.01


def _wait_for(key: str, lock: str):
    """The entry another worker is rendering, or None once it gave up (not storable, or
    died) or WAIT_SECONDS passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = _store().get(key)
        if entry is not None:
            return entry
        if _store().get(lock) is None:
            return _store().get(key)
    return None


class PageCacheMiddleware:
    """Sits inside the session, CSRF, auth and stats middleware (so hits still get the
    CSRF cookie and count as page views) and before the views."""

    def __init__(self, get_response):
        if not settings.PAGE_CACHE:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        if not eligible(request):
            return self.get_response(request)
        try:
            key = key_for(request)
            entry = _store().get(key)
        except Exception:
            log.exception("page cache unavailable")
            return self.get_response(request)
        if entry is not None:
            return serve(request, entry)
        request._page_cache_key = key
        try:
            response = self.get_response(request)
            self._fill_and_store(request, key, response)
        finally:
            # After storing: a waiter that sees the lock gone finds the page.
            lock = getattr(request, "_page_cache_lock", None)
            if lock is not None:
                try:
                    _store().delete(lock)
                except Exception:
                    log.exception("could not release a page cache lock")
        if hasattr(response, "page_cache"):
            patch_vary_headers(response, ("Cookie",))
        return response

    def _fill_and_store(self, request, key, response):
        if getattr(request, "_page_cache_render", False) and _is_page(response):
            # Rendered with markers: every such page is filled, stored or not (a 404, a
            # search refused with 400).
            parts = split(response.content.decode(response.charset or "utf-8"))
            response.content = fill(request, parts)
            if _storable(response):
                entry = {
                    "parts": parts,
                    "headers": [(h, response[h]) for h in KEPT_HEADERS if h in response],
                    "count": list(response.page_cache["count"]),
                }
                try:
                    _store().set(key, entry, settings.PAGE_CACHE_SECONDS)
                except Exception:
                    log.exception("could not store a page in the page cache")
                response["X-Page-Cache"] = "miss"

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A miss of a cacheable view: take the page's lock and render it with markers, or
        wait for the worker that holds the lock (single flight). Only views marked
        `cacheable` take a lock, so downloads and other pages pay nothing."""
        key = getattr(request, "_page_cache_key", None)
        if key is None or not getattr(view_func, "page_cacheable", False):
            return None
        lock = key + ":lock"
        try:
            if not _store().add(lock, 1, LOCK_SECONDS):
                entry = _wait_for(key, lock)
                if entry is not None:
                    return serve(request, entry)
                # The holder gave up or is slow: render it ourselves.
            else:
                request._page_cache_lock = lock
        except Exception:
            log.exception("page cache unavailable")
        request._page_cache_render = True
        return None


def _is_page(response) -> bool:
    return not response.streaming and response.get("Content-Type", "").startswith("text/html")
