"""Where the figures come from. Every number a report shows is read here, from the table the
portal itself reads for the same number, so a report and the page never disagree:

- a total (views, downloads, approved comments): the counter column on the object, the one
  the article and document pages print (stats.counting writes them);
- a count in a period: stats.models.ObjectViews, the per-day/per-month increments of those
  same counters (stats.counting writes both in one statement), summed as the statistics
  dashboard sums them (PeriodQuerySet.in_period);
- visits, page views, readers, referrers, devices: stats.summaries, the dashboard's own code.
"""

from django.db.models import OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from stats.models import ObjectViews

# The kinds registered with stats.counting by news and documents (their AppConfig.ready).
ARTICLE_VIEWS = "article"
DOCUMENT_VIEWS = "document_view"
DOCUMENT_DOWNLOADS = "document_download"


def period_count(kind: str, period, ref: str = "pk"):
    """An expression: the counts of `kind` for the row's object in the period (0 if none).

    One indexed lookup per row (stats_objectviews_object: kind, object_id, day); whole
    months are read from the monthly rows.
    """
    counts = (
        ObjectViews.objects.in_period(period.start, period.end)
        .filter(kind=kind, object_id=OuterRef(ref))
        .values("object_id")
        .annotate(total=Sum("n"))
        .values("total")
    )
    return Coalesce(Subquery(counts), 0)


def ranked(kind: str, period, *, limit: int, among=None) -> list[tuple[int, int]]:
    """(object id, count in the period), most first, as the dashboard ranks them."""
    rows = (
        ObjectViews.objects.in_period(period.start, period.end)
        .filter(kind=kind)
        .values_list("object_id")
        .annotate(total=Sum("n"))
        .order_by("-total", "object_id")
    )
    if among is not None:
        rows = rows.filter(object_id__in=among)
    return list(rows[:limit])
