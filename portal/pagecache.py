"""Page cache for anonymous readers, with live holes.

Reader pages (home, categories, articles, documents, static pages, search) are rendered
once and kept in the shared cache (file cache by default, Redis with REDIS_URL) for
PAGE_CACHE_SECONDS, keyed by the URL and the content generation (portal.fragments), so a
staff change shows at once. Only readers without a session or any cookie of ours except
the CSRF cookie are served from it; logged-in staff, readers with a flash message, a
pending comment or a vote always get a freshly rendered page.

What must differ per page view is not frozen in the cached copy:
- counting: a view records what it counted (`count_on_hit`) and every hit counts it again
  through the registered counter (stats.counting), with the same once-per-reader rules (the stats middleware sees
  every hit as a page view too);
- live regions: a block wrapped by `live_region(name, html)` (banners chosen per view and
  their impressions, the statistics block) is re-rendered on every hit by its registered
  function;
- form tokens: every CSRF token is replaced by one for this reader (and the CSRF cookie set
  by the CSRF middleware as usual); apps add fillers for their own tokens (the comment
  form's timing token).

A hit costs, at most, a read of the generation and of the entry from the shared cache (each
worker also keeps a copy of both in memory, the entry as a Python object: no unpickling),
joining the stored bytes with what is filled in, and the live regions: no database query.
Live regions are reused for a second (LIVE_REGION_SECONDS, see banners.blocks), one CSRF
token is masked per page (portal.csrf) and a filler may reuse its value within a second.

Shells (`render_shell`): with the page cache off, or for the first reader of a page, a view
can still skip most of its template work. The whole page rendered once for anonymous readers
is kept in this worker's copies (`worker_copies`) as a *shell*, keyed by what the view read from
the database (an article's id, `updated_at` and comment count) and the content generation;
each request fills the same holes as a page-cache hit (CSRF tokens, fillers, live regions)
and the *value holes* marked with `{% hole "name" %}...{% endhole %}` (the view count, the
rating), re-rendered from the row this request read. The view still runs its query and
counts its view: only the rendering is shared.

Single flight: when many readers miss the same page at once (a new viral article, a cleared
cache), one renders it and the others wait for its copy (at most WAIT_SECONDS) instead of
all rendering it, then render it themselves if it has not come.
"""

import hashlib
import logging
import re
import threading
import time
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.template import Context
from django.template.loader import render_to_string
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from portal import csrf, fragments

log = logging.getLogger(__name__)

ALLOWED_COOKIES = {settings.CSRF_COOKIE_NAME}
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
LIVE_RE = re.compile(r"<!--live:([a-z0-9:_-]+)-->.*?<!--/live-->", re.DOTALL)
HOLE_RE = re.compile(r"<!--hole:([a-z0-9_-]+)-->(.*?)<!--/hole-->", re.DOTALL)

_fillers: list[tuple[re.Pattern, Callable]] = []
_live: dict[str, Callable] = {}
_counter: Callable | None = None
# Value holes: the template nodes inside each {% hole %} (set when the template is
# compiled) and the context an app adds to re-render them (register_hole_context).
_hole_nodes: dict[str, object] = {}
_hole_context: dict[str, Callable] = {}
_hole_origins: dict[str, str | None] = {}


def register_filler(pattern: str, make: Callable) -> None:
    """Replace each match of `pattern` (group 1 + new value + group 2) on every hit with
    `make(request, match)`."""
    _fillers.append((re.compile(pattern), make))


def register_live(prefix: str, render: Callable) -> None:
    """`render(request, argument)` re-renders regions named `prefix` or `prefix:argument`."""
    _live[prefix] = render


def register_counter(count: Callable) -> None:
    """`count(kind, object_id, request)` counts again, on every hit, what a view recorded
    with count_on_hit (stats registers its counter: portal imports no app)."""
    global _counter
    _counter = count


def register_hole_node(name: str, nodelist, origin: str | None) -> None:
    """Called by the {% hole %} tag when its template is compiled."""
    _hole_nodes[name] = nodelist
    _hole_origins[name] = origin


def hole_origin(name: str) -> str | None:
    """The template that holds hole `name`, once compiled."""
    return _hole_origins.get(name)


def register_hole_context(name: str, make: Callable) -> None:
    """`make(values)` returns the extra context hole `name` needs, from the view's values
    (e.g. the comments app turns the article row into its rating line)."""
    _hole_context[name] = make


class WorkerCopies:
    """This worker's copies of stored pages (and shells), as Python objects: a hit neither
    unpickles the ~35 KB entry (LocMemCache pickles every value) nor takes a cache lock.
    Keys carry the content generation, like the shared cache's. A read takes no lock (a
    dict's get is atomic); a store does, for the rare eviction."""

    def __init__(self, max_entries: int = 1000):
        self.max_entries = max_entries
        self._items: dict[str, tuple[float, object]] = {}
        self._lock = threading.Lock()

    def get(self, key: str):
        item = self._items.get(key)
        if item is None:
            return None
        if item[0] <= time.monotonic():
            self._items.pop(key, None)
            return None
        return item[1]

    def set(self, key: str, value, seconds: float) -> None:
        with self._lock:
            items = self._items
            if key not in items and len(items) >= self.max_entries:
                now = time.monotonic()
                for old in [k for k, (until, _) in list(items.items()) if until <= now]:
                    items.pop(old, None)
                while len(items) >= self.max_entries:
                    items.pop(next(iter(items)))  # the oldest stored
            items[key] = (time.monotonic() + seconds, value)

    def clear(self) -> None:
        self._items.clear()


worker_copies = WorkerCopies()


def live_region(name: str, html: str) -> str:
    """`html` is rendered markup (autoescaped by its template), so the result is safe."""
    return mark_safe(f"<!--live:{name}-->{html}<!--/live-->")  # noqa: S308


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
        and not (request.COOKIES.keys() - ALLOWED_COOKIES)
        and "HTTP_AUTHORIZATION" not in request.META
    )


def key_for(request) -> str:
    raw = f"{request.get_host()}|{request.get_full_path()}|{fragments.generation()}"
    return "page:" + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def _storable(response) -> bool:
    return (
        getattr(response, "page_cache", None) is not None
        and response.status_code == 200
        and not response.streaming
        and response.get("Content-Type", "").startswith("text/html")
        and not (set(response.cookies) - ALLOWED_COOKIES)
    )


def compile_holes(content: str, *, values: bool = False) -> list:
    """Split a rendered page once, when it is stored, into text and the holes to fill on
    each hit, so a hit joins strings instead of scanning the page with regexes. With
    `values`, the value holes of a shell too."""
    holes = []  # (start, end, kind, data)
    if values:
        for m in HOLE_RE.finditer(content):
            holes.append((m.start(), m.end(), "hole", m.group(1)))
    for m in CSRF_RE.finditer(content):
        holes.append((m.start(), m.end(), "csrf", (m.group(1), m.group(2))))
    for index, (pattern, _make) in enumerate(_fillers):
        for m in pattern.finditer(content):
            holes.append(
                (m.start(), m.end(), "filler", (index, m.group(1), m.group(2), m.groups()))
            )
    for m in LIVE_RE.finditer(content):
        holes.append((m.start(), m.end(), "live", m.group(1)))
    holes.sort(key=lambda h: h[0])
    parts: list = []
    position = 0
    for start, end, kind, data in holes:
        if start < position:
            continue  # inside a live region: re-rendered with it
        parts.append(content[position:start].encode())
        parts.append((kind, data))
        position = end
    parts.append(content[position:].encode())
    return parts


class _Groups:
    """What a filler sees of its match on a hit: the groups found when the page was stored."""

    def __init__(self, groups):
        self._groups = groups

    def group(self, n):
        return self._groups[n - 1]


def _fill(request, parts, values: dict | None = None) -> bytes:
    """The page's bytes: the stored text is kept encoded (UTF-8, the pages' charset), so a
    hit encodes only what it fills in, not the whole page."""
    token = None
    out = []
    for part in parts:
        if isinstance(part, bytes):
            out.append(part)
            continue
        if isinstance(part, str):  # an entry stored before the text was kept encoded
            out.append(part.encode())
            continue
        kind, data = part
        if kind == "csrf":
            if token is None:
                token = csrf.get_token(request)  # one masked token serves every form
            filled = data[0] + token + data[1]
        elif kind == "filler":
            index, before, after, groups = data
            filled = before + _fillers[index][1](request, _Groups(groups)) + after
        elif kind == "hole":
            filled = _render_hole(data, values or {})
        else:
            prefix, _, argument = data.partition(":")
            render = _live.get(prefix)
            filled = live_region(data, render(request, argument) if render else "")
        out.append(filled.encode())
    return b"".join(out)


def _render_hole(name: str, values: dict) -> str:
    nodelist = _hole_nodes.get(name)
    if nodelist is None:  # the template changed under a shell still in memory
        return ""
    context = dict(values)
    make = _hole_context.get(name)
    if make is not None:
        context.update(make(values))
    return nodelist.render(Context(context))


SHELL_SECONDS = 30  # at most the shortest fragment timeout that matters (sidebar: 60 s)


def shell_eligible(request) -> bool:
    """Whether this request may be answered from a shell: an anonymous reader as for the
    page cache, and no query string (comment pages, the search box's value)."""
    return settings.PAGE_SHELL and eligible(request) and not request.GET


def shell_rendering(request) -> bool:
    """For {% hole %}: mark the holes only while the shell is being rendered."""
    return getattr(request, "_page_shell", False)


def render_shell(request, template_name: str, context: dict, *, key: str, values: dict):
    """The page from this worker's shell for `key` (made by rendering the template once),
    with every hole filled for this request; `values` is the context of the value holes."""
    full_key = f"shell:{key}:{fragments.generation()}"
    parts = worker_copies.get(full_key)
    if parts is not None:
        return HttpResponse(_fill(request, parts, values))
    request._page_shell = True
    try:
        html = render_to_string(template_name, context, request)
    finally:
        request._page_shell = False
    worker_copies.set(full_key, compile_holes(html, values=True), SHELL_SECONDS)
    # This reader's page is the render itself (its live regions already chosen and
    # counted once): only the value holes' marks go.
    return HttpResponse(HOLE_RE.sub(r"\2", html))


def serve(request, entry) -> HttpResponse:
    response = HttpResponse(_fill(request, entry["parts"]))
    for header, value in entry["headers"]:
        response[header] = value
    response["X-Page-Cache"] = "hit"
    if _counter is not None:
        for kind, object_id in entry["count"]:
            _counter(kind, object_id, request)
    return response


# Single flight (see the module's docstring). The lock expires by itself if its holder
# dies; waiters poll the shared cache for the holder's copy.
LOCK_SECONDS = 10
WAIT_SECONDS = 2.0
POLL_SECONDS = 0.01


def _wait_for(key: str, lock: str):
    """The entry another worker is rendering, or None once it gave up (not storable, or
    died) or WAIT_SECONDS passed."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        time.sleep(POLL_SECONDS)
        entry = cache.get(key)
        if entry is not None:
            return entry
        if cache.get(lock) is None:
            return cache.get(key)
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
            # This worker's copy first (microseconds), then the shared cache; both keyed by
            # the content generation, so neither can serve a page older than a staff change.
            entry = worker_copies.get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    worker_copies.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            log.exception("page cache unavailable")
            return self.get_response(request)
        if entry is not None:
            return self._hit(request, entry)
        request._page_cache_key = key
        try:
            response = self.get_response(request)
        finally:
            lock = getattr(request, "_page_cache_lock", None)
            if lock is not None:
                try:
                    cache.delete(lock)
                except Exception:
                    log.exception("could not release a page cache lock")
        if _storable(response):
            entry = {
                "parts": compile_holes(response.content.decode(response.charset or "utf-8")),
                "headers": [(h, response[h]) for h in KEPT_HEADERS if h in response],
                "count": list(response.page_cache["count"]),
            }
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                worker_copies.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                log.exception("could not store a page in the page cache")
            response["X-Page-Cache"] = "miss"
        if hasattr(response, "page_cache"):
            patch_vary_headers(response, ("Cookie",))
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        """A miss of a cacheable view: take the page's lock and render, or wait for the
        worker that holds it (single flight). Only views marked `cacheable` take a lock, so
        downloads and other pages pay nothing."""
        key = getattr(request, "_page_cache_key", None)
        if key is None or not getattr(view_func, "page_cacheable", False):
            return None
        lock = key + ":lock"
        try:
            if cache.add(lock, 1, LOCK_SECONDS):
                request._page_cache_lock = lock
                return None
            entry = _wait_for(key, lock)
        except Exception:
            log.exception("page cache unavailable")
            return None
        if entry is None:
            return None  # the holder gave up or is slow: render it ourselves
        worker_copies.set(key, entry, settings.PAGE_CACHE_SECONDS)
        return self._hit(request, entry)

    def _hit(self, request, entry):
        response = serve(request, entry)
        patch_vary_headers(response, ("Cookie",))
        return response
