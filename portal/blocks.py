"""Banner blocks ("Liên kết", quick links, below the header), served from the shared cache.

One query fills the cache for every position at once (banners with their position's
heading and display mode); staff changes delete it (portal.signals). Start and end times
are checked per page view against the cached rows, so a scheduled banner appears and an
expired one disappears without a cache change. Each page view then picks what to show
(all in order, all shuffled, or one at random) and tallies the impressions in memory.
"""

import random

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from portal import impressions
from portal.models import Banner, BannerPosition

CACHE_KEY = "portal:banners:v1"
CACHE_TTL = 6 * 3600  # a safety net; changes invalidate at once


def _rows() -> dict[str, dict]:
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        return cached
    positions: dict[str, dict] = {}
    banners = Banner.objects.not_ended().select_related("position").order_by("order", "pk")
    for b in banners:
        pos = positions.setdefault(
            b.position_id,
            {"heading": b.position.heading, "mode": b.position.mode, "banners": []},
        )
        pos["banners"].append(
            {
                "id": b.pk,
                "title": b.title,
                "click_url": reverse("banner-click", args=[b.pk]),
                "image_url": b.image.url if b.image else "",
                "width": b.width or None,
                "height": b.height or None,
                "start_at": b.start_at,
                "end_at": b.end_at,
            }
        )
    cache.set(CACHE_KEY, positions, CACHE_TTL)
    return positions


def for_request(request) -> dict[str, dict]:
    """The cached rows, read once per request however many positions the page has."""
    rows = getattr(request, "_portal_banners", None) if request is not None else None
    if rows is None:
        rows = _rows()
        if request is not None:
            request._portal_banners = rows
    return rows


def choose(position: str, request) -> dict:
    """What one position shows on this page view: {"heading", "banners"}.

    Counts an impression for each banner returned.
    """
    pos = for_request(request).get(position)
    if not pos:
        return {"heading": "", "banners": []}
    now = timezone.now()
    live = [
        b
        for b in pos["banners"]
        if b["start_at"] <= now and (b["end_at"] is None or b["end_at"] > now)
    ]
    mode = pos["mode"]
    if mode == BannerPosition.Mode.SHUFFLED:
        live = random.sample(live, len(live))
    elif mode == BannerPosition.Mode.RANDOM_ONE and live:
        live = [random.choice(live)]
    if request is not None:
        impressions.count_impressions([b["id"] for b in live], request)
    return {"heading": pos["heading"], "banners": live}


def invalidate() -> None:
    cache.delete(CACHE_KEY)
