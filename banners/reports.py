"""The banner report: impressions, clicks and click-through rate over a period. The
reports app exports it; the admin shows it.

Impressions come from the daily tallies (banners.impressions); clicks from stats, which
counts them like every other counter ("banner_click", registered in banners.apps): the same
increments as Banner.click_count, per day and per month in stats_objectviews. So the report,
the banner list's total and the statistics dashboard show one figure.
"""

from dataclasses import dataclass
from datetime import date

from django.db.models import IntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from banners.impressions import IMPRESSION
from banners.models import Banner, DailyTally
from stats.models import Bucket, ObjectViews

CLICK = "banner_click"  # the stats.counting kind of a banner click


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


def _impressions(start: date, end: date):
    rows = DailyTally.objects.filter(
        kind=IMPRESSION, object_id=OuterRef("pk"), day__gte=start, day__lte=end
    )
    return _total(rows)


def _clicks(start: date, end: date):
    # Whole months from the monthly rows, the loose days from the daily ones.
    rows = ObjectViews.objects.in_period(start, end).filter(kind=CLICK, object_id=OuterRef("pk"))
    return _total(rows)


def banner_report(*, start: date, end: date) -> list[BannerRow]:
    """One row per banner (every banner, shown or not), in one query."""
    banners = (
        Banner.objects.select_related("position")
        .annotate(impressions=_impressions(start, end), clicks=_clicks(start, end))
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
    zero = Value(0, output_field=IntegerField())
    impressions = (
        DailyTally.objects.filter(kind=IMPRESSION, day__gte=start, day__lte=end)
        .values("day")
        .annotate(impressions=Sum("n"), clicks=zero)
        .order_by()
    )
    clicks = (
        ObjectViews.objects.filter(kind=CLICK, bucket=Bucket.DAY, day__gte=start, day__lte=end)
        .values("day")
        .annotate(impressions=zero, clicks=Sum("n"))
        .order_by()
    )
    totals: dict[date, list[int]] = {}
    for row in impressions.union(clicks, all=True):
        pair = totals.setdefault(row["day"], [0, 0])
        pair[0] += row["impressions"]
        pair[1] += row["clicks"]
    return [(day, imp, clk) for day, (imp, clk) in sorted(totals.items())]
