"""The banner report: impressions, clicks and click-through rate over a period, from the
daily tallies (portal.impressions). The reports app exports it; the admin shows it."""

from dataclasses import dataclass
from datetime import date

from django.db.models import OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from portal.impressions import CLICK, IMPRESSION
from portal.models import Banner, DailyTally


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


def _sum(kind: str, start: date, end: date):
    rows = (
        DailyTally.objects.filter(kind=kind, object_id=OuterRef("pk"), day__gte=start, day__lte=end)
        .values("object_id")
        .annotate(total=Sum("n"))
        .values("total")
    )
    return Coalesce(Subquery(rows), Value(0))


def banner_report(*, start: date, end: date) -> list[BannerRow]:
    """One row per banner (every banner, shown or not), in one query."""
    banners = (
        Banner.objects.select_related("position")
        .annotate(impressions=_sum(IMPRESSION, start, end), clicks=_sum(CLICK, start, end))
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
    """(day, impressions, clicks) of all banners, per day with any, for the dashboard."""
    totals: dict[date, list[int]] = {}
    rows = (
        DailyTally.objects.filter(kind__in=[IMPRESSION, CLICK], day__gte=start, day__lte=end)
        .values("day", "kind")
        .annotate(total=Sum("n"))
        .order_by("day")
    )
    for row in rows:
        pair = totals.setdefault(row["day"], [0, 0])
        pair[0 if row["kind"] == IMPRESSION else 1] += row["total"]
    return [(day, imp, clk) for day, (imp, clk) in sorted(totals.items())]
