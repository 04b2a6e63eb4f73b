"""Site-wide blocks of the news app (menu, "Tin xem nhiều"), served from the shared cache.

Staff changes invalidate them (news.signals); "Tin xem nhiều" also expires after a few
minutes, since view counts move without any staff change.
"""

from django.core.cache import cache

from news.models import Article, Category
from portal import fragments

MENU_KEY = "news:menu:v1"
MOST_READ_KEY = "news:most-read:v1"
MOST_READ_TTL = 300


def menu() -> list[Category]:
    """Top-level menu categories, each with `menu_children` (one query, then cached)."""
    cached = cache.get(MENU_KEY)
    if cached is not None:
        return cached
    categories = list(Category.objects.in_menu().only("id", "name", "slug", "parent_id", "order"))
    top = [c for c in categories if c.parent_id is None]
    for parent in top:
        parent.menu_children = [c for c in categories if c.parent_id == parent.pk]
    cache.set(MENU_KEY, top, None)
    return top


def most_read(limit: int = 8) -> list[dict]:
    cached = cache.get(MOST_READ_KEY)
    if cached is not None:
        return cached
    rows = list(
        Article.objects.most_read(30).values("title", "slug", "view_count", "publish_at")[:limit]
    )
    cache.set(MOST_READ_KEY, rows, MOST_READ_TTL)
    return rows


def invalidate() -> None:
    cache.delete_many([MENU_KEY, MOST_READ_KEY])
    fragments.bump()
