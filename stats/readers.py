"""Who is reading: an anonymous daily reader id, and whether the client is a bot.

No raw IP address is stored anywhere: the id is an HMAC of the address and user agent
with a random salt that exists for one day only (stats.models.DailySalt).
"""

import hashlib
import hmac
import re
import secrets
import threading
from datetime import date
from functools import lru_cache

from crawlerdetect import CrawlerDetect
from django.db import transaction
from django.utils import timezone

from portal.http import client_ip
from stats.models import DailySalt

# Bot detection is crawlerdetect's (a maintained list of ~1,500 crawlers, link previewers,
# monitors and HTTP libraries). Two short local lists cover what it gets wrong for readers here;
# each entry has its own case in tests/stats/test_user_agents.py.
#
# Readers' browsers it takes for bots: its "CocCoc" pattern, meant for Cốc Cốc's crawler
# (coccocbot), also matches Cốc Cốc's own browser on iPhone ("CocCocBrowser/139.0").
_READER_TOKENS = re.compile(r"coc_?coc_?browser/[\w.]*", re.IGNORECASE)
# Clients it does not know: Zalo's link preview (Vietnam's most used messenger) and the load
# tools of our own benchmarks. Lower-case substrings.
LOCAL_BOTS = ("zalo link preview", "wrk/", "k6/")

_crawlers = CrawlerDetect()


def is_bot(user_agent: str) -> bool:
    """A request with no user agent at all is a script, not a reader."""
    if not user_agent or not user_agent.strip():
        return True
    return _is_bot(user_agent[:512])


# Headers by which browsers announce a speculative load (no one is reading yet).
PREFETCH_HEADERS = ("HTTP_SEC_PURPOSE", "HTTP_PURPOSE", "HTTP_X_PURPOSE", "HTTP_X_MOZ")


def is_speculative(meta) -> bool:
    """A prefetch, prerender or link preview: asked by the page view statistics and by
    every object counter alike, so an article's views and the page views always agree."""
    if any("prefetch" in meta.get(h, "").lower() for h in PREFETCH_HEADERS):
        return True
    return meta.get("HTTP_X_PURPOSE", "").lower() == "preview"


# crawlerdetect's single large pattern takes about 2 ms for a user agent it has not seen; user
# agents repeat, so the answer is kept per user agent (bounded, like its own small cache).
@lru_cache(maxsize=16384)
def _is_bot(user_agent: str) -> bool:
    lowered = user_agent.lower()
    if any(token in lowered for token in LOCAL_BOTS):
        return True
    return _crawlers.is_crawler(_READER_TOKENS.sub("", user_agent))


_salt_lock = threading.Lock()
_salt_cache: dict[date, bytes] = {}


def salt_for(day: date) -> bytes:
    """The day's salt: made once by whichever worker asks first, then read by all.

    Making a day's salt deletes every earlier one, so once today's exists yesterday's
    ids can be neither recomputed nor linked to today's. A late request still dated
    yesterday gets the newer salt rather than bring yesterday's back.
    """
    cached = _salt_cache.get(day)
    if cached is not None:
        return cached
    with _salt_lock:
        if day in _salt_cache:
            return _salt_cache[day]
        # A savepoint when the caller is inside a transaction: a failure here (the database
        # gone for a moment) must not poison the other queries of the page being served.
        with transaction.atomic():
            newest = DailySalt.objects.filter(day__gte=day).order_by("-day").first()
            if newest is None:
                DailySalt.objects.bulk_create(
                    [DailySalt(day=day, value=secrets.token_bytes(32))], ignore_conflicts=True
                )
                newest = DailySalt.objects.get(day=day)
                DailySalt.objects.filter(day__lt=day).delete()
        # Forget earlier days' salts in this process too.
        for old in [d for d in _salt_cache if d < day]:
            del _salt_cache[old]
        _salt_cache[day] = bytes(newest.value)
    return _salt_cache[day]


def reader_id(request, day: date | None = None) -> bytes:
    """16 bytes that tell one reader from another for one day, and nothing else."""
    day = day or timezone.localdate()
    # Kept on the request: the view (counting.count) and the middleware both ask.
    memo = getattr(request, "_stats_reader_id", None)
    if memo is not None and memo[0] == day:
        return memo[1]
    ua = request.META.get("HTTP_USER_AGENT", "")[:512]
    message = f"{client_ip(request)}\n{ua}".encode("utf-8", "replace")
    value = hmac.new(salt_for(day), message, hashlib.sha256).digest()[:16]
    request._stats_reader_id = (day, value)
    return value


def address_id(request, day: date | None = None) -> bytes:
    """16 bytes for the client's address alone, for one day: the key of the limits that
    changing the user agent must not reset (comments, ratings). Everyone behind one office
    or mobile-network address shares it, so those limits are sized for a crowd. A keyed
    hash with the day's salt like reader_id (and told apart from it), never the address."""
    day = day or timezone.localdate()
    memo = getattr(request, "_stats_address_id", None)
    if memo is not None and memo[0] == day:
        return memo[1]
    message = f"address\n{client_ip(request)}".encode("utf-8", "replace")
    value = hmac.new(salt_for(day), message, hashlib.sha256).digest()[:16]
    request._stats_address_id = (day, value)
    return value


def reset_salt_cache() -> None:
    _salt_cache.clear()
