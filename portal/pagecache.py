"""Page cache for anonymous readers, with live holes.

Reader pages (home, categories, articles, documents, static pages, search) are rendered
once and kept in the shared cache (file cache by default, Redis with REDIS_URL) for
PAGE_CACHE_SECONDS, keyed by the URL and the content generation (portal.fragments), so a
staff change shows at once. Only readers without a session or any cookie of ours except
the CSRF cookie are served from it; logged-in staff, readers with a flash message, a
pending comment or a vote always get a freshly rendered page.

What must differ per page view is not frozen in the cached copy:
- counting: a view records what it counted (`count_on_hit`) and every hit counts it again
  through stats.counting, with the same once-per-reader rules (the stats middleware sees
  every hit as a page view too);
- live regions: a block wrapped by `live_region(name, html)` (banners chosen per view and
  their impressions, the statistics block) is re-rendered on every hit by its registered
  function;
- form tokens: every CSRF token is replaced by one for this reader (and the CSRF cookie set
  by the CSRF middleware as usual); apps add fillers for their own tokens (the comment
  form's timing token).

A hit costs, at most, a read of the generation and of the entry from the shared cache (each
worker also keeps a copy of both in memory), a few regular expression substitutions and the
live regions: no database query.
"""

import hashlib
import logging
import re
from collections.abc import Callable
from functools import wraps

from django.conf import settings
from django.core.cache import cache, caches
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import patch_vary_headers
from django.utils.safestring import mark_safe

from portal import fragments

log = logging.getLogger(__name__)

ALLOWED_COOKIES = {settings.CSRF_COOKIE_NAME}
KEPT_HEADERS = ("Content-Type", "Content-Language", "X-Robots-Tag", "Link")
CSRF_RE = re.compile(r'(name="csrfmiddlewaretoken" value=")[^"]*(")')
LIVE_RE = re.compile(r"<!--live:([a-z0-9:_-]+)-->.*?<!--/live-->", re.DOTALL)

_fillers: list[tuple[re.Pattern, Callable]] = []
_live: dict[str, Callable] = {}


def register_filler(pattern: str, make: Callable) -> None:
    """Replace each match of `pattern` (group 1 + new value + group 2) on every hit with
    `make(request, match)`."""
    _fillers.append((re.compile(pattern), make))


def register_live(prefix: str, render: Callable) -> None:
    """`render(request, argument)` re-renders regions named `prefix` or `prefix:argument`."""
    _live[prefix] = render


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


def compile_holes(content: str) -> list:
    """Split a rendered page once, when it is stored, into text and the holes to fill on
    each hit, so a hit joins strings instead of scanning the page with regexes."""
    holes = []  # (start, end, kind, data)
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
        parts.append(content[position:start])
        parts.append((kind, data))
        position = end
    parts.append(content[position:])
    return parts


class _Groups:
    """What a filler sees of its match on a hit: the groups found when the page was stored."""

    def __init__(self, groups):
        self._groups = groups

    def group(self, n):
        return self._groups[n - 1]


def _fill(request, parts) -> str:
    token = None
    out = []
    for part in parts:
        if isinstance(part, str):
            out.append(part)
            continue
        kind, data = part
        if kind == "csrf":
            if token is None:
                token = get_token(request)  # one masked token serves every form
            out.append(data[0] + token + data[1])
        elif kind == "filler":
            index, before, after, groups = data
            out.append(before + _fillers[index][1](request, _Groups(groups)) + after)
        else:
            prefix, _, argument = data.partition(":")
            render = _live.get(prefix)
            out.append(live_region(data, render(request, argument) if render else ""))
    return "".join(out)


def serve(request, entry) -> HttpResponse:
    from stats import counting

    response = HttpResponse(_fill(request, entry["parts"]))
    for header, value in entry["headers"]:
        response[header] = value
    response["X-Page-Cache"] = "hit"
    for kind, object_id in entry["count"]:
        counting.count(kind, object_id, request)
    return response


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
        local = caches["fragments"]
        try:
            key = key_for(request)
            # This worker's copy first (microseconds), then the shared cache; both keyed by
            # the content generation, so neither can serve a page older than a staff change.
            entry = local.get(key)
            if entry is None:
                entry = cache.get(key)
                if entry is not None:
                    local.set(key, entry, settings.PAGE_CACHE_SECONDS)
        except Exception:
            log.exception("page cache unavailable")
            return self.get_response(request)
        if entry is not None:
            response = serve(request, entry)
            patch_vary_headers(response, ("Cookie",))
            return response
        response = self.get_response(request)
        if _storable(response):
            entry = {
                "parts": compile_holes(response.content.decode(response.charset or "utf-8")),
                "headers": [(h, response[h]) for h in KEPT_HEADERS if h in response],
                "count": list(response.page_cache["count"]),
            }
            try:
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                local.set(key, entry, settings.PAGE_CACHE_SECONDS)
            except Exception:
                log.exception("could not store a page in the page cache")
            response["X-Page-Cache"] = "miss"
        if hasattr(response, "page_cache"):
            patch_vary_headers(response, ("Cookie",))
        return response
