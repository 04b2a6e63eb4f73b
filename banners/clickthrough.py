"""The banner report's figures: impressions, clicks and click-through rate over a period. The
reports app exports it; the admin shows it.

Both come from stats_objectviews, per day and per month: clicks are counted like every other
counter (once per reader, the same increments as Banner.click_count, so the report, the
banner list's total and the statistics dashboard show one figure); impressions are tallied
on every page view that shows the banner (banners.blocks).
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from banners.models import CLICK, IMPRESSION, Banner
from stats.models import Bucket, ObjectViews


@dataclass(frozen=True)
class BannerRow:
    banner_id: int
    title: str
    position: str
    is_live: bool
    impressions: int
    clicks: int

    @property
    def ctr(self) -> float | None:
        """Clicks per 100 impressions, or None with no impression."""
        if not self.impressions:
            return None
        return round(100 * self.clicks / self.impressions, 2)


def _total(rows):
    """The sum of `rows` (filtered on OuterRef("pk")), 0 with none, as a subquery."""
    summed = rows.values("object_id").annotate(total=Sum("n")).values("total")
    return Coalesce(Subquery(summed), Value(0))


def _period_count(kind: str, start: date, end: date):
    # Whole months from the monthly rows, the loose days from the daily ones.
    rows = ObjectViews.objects.in_period(start, end).filter(kind=kind, object_id=OuterRef("pk"))
    return _total(rows)


def banner_report(*, start: date, end: date) -> list[BannerRow]:
    """One row per banner (every banner, shown or not), in one query."""
    banners = (
        Banner.objects.select_related("position")
        .annotate(
            impressions=_period_count(IMPRESSION, start, end),
            clicks=_period_count(CLICK, start, end),
        )
        .order_by("position", "order", "pk")
    )
    return [
        BannerRow(
            banner_id=b.pk,
            title=b.title,
            position=b.position.get_key_display(),
            is_live=b.is_live,
            impressions=b.impressions,
            clicks=b.clicks,
        )
        for b in banners
    ]


def banner_daily(*, start: date, end: date) -> list[tuple[date, int, int]]:
    """(day, impressions, clicks) of all banners, per day with any, in one query."""
    rows = (
        ObjectViews.objects.filter(
            kind__in=[IMPRESSION, CLICK], bucket=Bucket.DAY, day__gte=start, day__lte=end
        )
        .values("day")
        .annotate(
            impressions=Sum("n", filter=Q(kind=IMPRESSION), default=0),
            clicks=Sum("n", filter=Q(kind=CLICK), default=0),
        )
        .order_by("day")
    )
    return [(r["day"], r["impressions"], r["clicks"]) for r in rows]
