"""The site settings record and the footer's static pages, read from the shared cache.

A page costs no query for them once the cache is warm; saving either in the admin
deletes the cache entry (pages.signals), so the change shows on the next page. With no
record saved yet, the defaults come from the SITE_NAME / SITE_SLOGAN settings.
"""

from dataclasses import dataclass, field

from django.conf import settings
from django.core.cache import cache

from pages.models import Page, SiteSettings
from stats.models import Baseline

CACHE_KEY = "pages:site:v1"
# A safety net only: every change through the ORM invalidates at once.
CACHE_TTL = 6 * 3600


@dataclass
class SiteBlock:
    settings: SiteSettings
    footer_pages: list[dict] = field(default_factory=list)


def defaults() -> SiteSettings:
    """An unsaved record with the values used before anyone edits the settings."""
    return SiteSettings(site_name=settings.PORTAL_SITE_NAME, slogan=settings.PORTAL_SITE_SLOGAN)


def load(request=None) -> SiteBlock:
    """The settings and footer pages; with `request`, read once for that request (the
    context processor and the comment block both ask)."""
    block = getattr(request, "_portal_site", None)
    if block is not None:
        return block
    block = cache.get(CACHE_KEY)
    if block is None:
        record = SiteSettings.objects.filter(pk=1).first() or defaults()
        pages = [
            {"title": p.title, "url": p.get_absolute_url()}
            for p in Page.objects.in_footer().only("title", "slug")
        ]
        block = SiteBlock(settings=record, footer_pages=pages)
        cache.set(CACHE_KEY, block, CACHE_TTL)
    if request is not None:
        request._portal_site = block
    return block


def get_settings(request=None) -> SiteSettings:
    """The site settings (names, footer, social links, comment moderation mode)."""
    return load(request).settings


def comment_moderation(request=None) -> str:
    """'all', 'guests' or 'none' (SiteSettings.Moderation)."""
    return get_settings(request).comment_moderation


def stats_offsets() -> tuple[int, int]:
    """(visits, page views) carried over from the old site, as the "Thống kê" block adds
    them: stats keeps them (stats.models.Baseline), the site settings page edits them."""
    baseline = Baseline.current()
    return baseline.visits, baseline.page_views


def invalidate() -> None:
    cache.delete(CACHE_KEY)
