"""Counts reader page views: a successful GET of an HTML page by a person, not a bot.

Runs after the view: it looks at the response, and when the page counts, adds it to the
in-memory buffer of stats.counting (no database write here; the flusher writes batches).
Never lets its own failure break the page: it logs, and re-raises only under DEBUG.
"""

import ipaddress
import logging
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.urls import NoReverseMatch, reverse

from stats import agents, counting, readers, traffic

log = logging.getLogger(__name__)

PATH_MAX = 255
HOST_MAX = 100


class PageViewMiddleware:
    def __init__(self, get_response):
        if not settings.STATS_MIDDLEWARE:
            raise MiddlewareNotUsed("STATS_MIDDLEWARE is off")
        self.get_response = get_response
        self._ignored: tuple[str, ...] | None = None

    def __call__(self, request):
        response = self.get_response(request)
        try:
            if self.counts(request, response):
                record(request)
        except Exception:
            log.exception("could not count the page view of %s", request.path)
            if settings.DEBUG:
                raise
        return response

    def ignored_prefixes(self) -> tuple[str, ...]:
        if self._ignored is None:
            prefixes = [settings.STATIC_URL, settings.MEDIA_URL, *settings.STATS_IGNORE_PATHS]
            try:
                prefixes.append(reverse("admin:index"))
            except NoReverseMatch:
                pass
            self._ignored = tuple(p if p.startswith("/") else f"/{p}" for p in prefixes if p)
        return self._ignored

    def counts(self, request, response) -> bool:
        if request.method != "GET" or response.status_code != 200 or response.streaming:
            return False
        if not response.get("Content-Type", "").startswith("text/html"):
            return False  # feeds, sitemaps, robots.txt, health checks, files, JSON
        if request.path_info.startswith(self.ignored_prefixes()):
            return False
        meta = request.META
        if readers.is_speculative(meta):
            return False
        if readers.is_bot(meta.get("HTTP_USER_AGENT", "")):
            return False
        # Staff reading their own site are not readers (as in counting.count). The user is
        # loaded only when the request carries a session, so a reader costs no query.
        user = getattr(request, "user", None)
        if user is not None and settings.SESSION_COOKIE_NAME in request.COOKIES:
            if user.is_authenticated and user.is_staff:
                return False
        return True


def record(request) -> None:
    """Add one reader page view of `request` to the buffer."""
    at = counting.now()
    reader = readers.reader_id(request, traffic.local_time(at).date())
    user_agent = request.META.get("HTTP_USER_AGENT", "")[:512]
    counting.buffer.add_page_view(
        at=at,
        reader=reader,
        path=request.path[:PATH_MAX],
        referrer=referrer_host(request),
        client=agents.parse(user_agent),
    )


def referrer_host(request) -> str:
    """The referring site's host name, or "" for none or this site itself."""
    referer = request.META.get("HTTP_REFERER", "")
    if not referer:
        return ""
    try:
        host = (urlsplit(referer).hostname or "").lower().rstrip(".")
    except ValueError:
        return ""
    if not host:
        return ""
    # The raw header (CommonMiddleware has validated it): only compared, never trusted.
    own = (request.META.get("HTTP_HOST") or request.META.get("SERVER_NAME", "")).lower()
    own = own.rsplit(":", 1)[0] if not own.endswith("]") else own
    if host == own or host == _site_host(settings.SITE_URL):
        return ""
    if ":" in host or host[-1].isdigit():
        try:
            ipaddress.ip_address(host)
            return "(địa chỉ IP)"  # no address is stored, not even a referring one
        except ValueError:
            pass
    return host[:HOST_MAX]


@lru_cache(maxsize=4)
def _site_host(site_url: str) -> str:
    return (urlsplit(site_url).hostname or "").lower()
