"""Banner blocks ("Liên kết", quick links, below the header), served from the shared cache.

One query fills the cache for every position at once (banners with their position's
heading and display mode); staff changes delete it (banners.signals). Start and end times
are checked per page view against the cached rows, so a scheduled banner appears and an
expired one disappears without a cache change. Each page view, page cache hits included
(a per-view part, portal.pagecache), then picks what to show (all in order, all shuffled,
or one at random) and tallies the impressions with stats.
"""

import random

from django.core.cache import cache, caches
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from banners.models import IMPRESSION, Banner, BannerPosition
from portal import fragments
from stats import counting

CACHE_KEY = "portal:banners:v2"
CACHE_TTL = 6 * 3600  # a safety net; changes invalidate at once


def _rows(request) -> dict[str, dict]:
    # This worker's copy, keyed by the content generation (any banner change replaces it),
    # then the shared cache, then one query.
    local_key = f"{CACHE_KEY}:{fragments.generation_for(request)}"
    cached = caches["fragments"].get(local_key)
    if cached is not None:
        return cached
    cached = cache.get(CACHE_KEY)
    if cached is not None:
        caches["fragments"].set(local_key, cached, CACHE_TTL)
        return cached
    positions: dict[str, dict] = {}
    banners = Banner.objects.not_ended().select_related("position").order_by("order", "pk")
    for b in banners:
        pos = positions.setdefault(
            b.position_id,
            {"heading": b.position.heading, "mode": b.position.mode, "banners": []},
        )
        row = {
            "id": b.pk,
            "title": b.title,
            # An image banner without a link (imported from NukeViet, or so made) is no link.
            "click_url": reverse("banners:banner-click", args=[b.pk]) if b.url else "",
            "image_url": b.image.url if b.image else "",
            "width": b.width or None,
            "height": b.height or None,
            "start_at": b.start_at,
            "end_at": b.end_at,
        }
        # Rendered once here, joined on every page view.
        row["html"] = str(_item(row, lazy=False))
        row["html_lazy"] = str(_item(row, lazy=True))
        pos["banners"].append(row)
    cache.set(CACHE_KEY, positions, CACHE_TTL)
    caches["fragments"].set(local_key, positions, CACHE_TTL)
    return positions


def for_request(request) -> dict[str, dict]:
    """The cached rows, read once per request however many positions the page has."""
    rows = getattr(request, "_portal_banners", None) if request is not None else None
    if rows is None:
        rows = _rows(request)
        if request is not None:
            request._portal_banners = rows
    return rows


def choose(position: str, request) -> dict:
    """What one position shows on this page view: {"heading", "banners"}.

    Counts an impression for each banner returned (none without a request).
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
        counting.tally(IMPRESSION, [b["id"] for b in live], request)
    return {"heading": pos["heading"], "banners": live}


def invalidate() -> None:
    cache.delete(CACHE_KEY)
    fragments.bump()  # workers' own copies are keyed by the generation


def _item(b: dict, lazy: bool) -> str:
    if b["image_url"]:
        size = format_html(' width="{}" height="{}"', b["width"], b["height"]) if b["width"] else ""
        inner = format_html(
            '<img src="{}" alt="{}"{}{}>', b["image_url"], b["title"],
            mark_safe(' loading="lazy"') if lazy else "", size,
        )  # fmt: skip
    else:
        inner = format_html('<span class="banner-text">{}</span>', b["title"])
    if not b.get("click_url"):
        return format_html('<span class="banner">{}</span>', inner)
    return format_html(
        '<a class="banner" href="{}" target="_blank" rel="noopener nofollow">{}</a>',
        b["click_url"], inner,
    )  # fmt: skip


def render(position: str, request) -> str:
    """The HTML of one position for this page view (impressions counted).

    Built in Python rather than with a template: it runs on every page view, page cache
    hits included, and a template costs ten times more here.
    """
    return _html(position, choose(position, request))


def _html(position: str, chosen: dict) -> str:
    banners = chosen["banners"]
    if not banners:
        return ""
    if position == BannerPosition.Key.HEADER:
        items = "".join(b["html"] for b in banners)
        return format_html(
            '<div class="banner-strip wrap" data-position="header">{}</div>', mark_safe(items)
        )
    items = "".join(f"<li>{b['html_lazy']}</li>" for b in banners)
    heading = (
        format_html('<h2 class="block-title">{}</h2>', chosen["heading"])
        if chosen["heading"]
        else ""
    )
    return format_html(
        '<section class="block banners banners-{}" data-position="{}">{}<ul>{}</ul></section>',
        position, position, heading, mark_safe(items),
    )  # fmt: skip
