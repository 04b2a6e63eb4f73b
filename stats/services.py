"""Writes that span the aggregate tables (the flush itself lives in stats.traffic and
stats.counting)."""

from datetime import date

from django.db import connection, transaction

from stats.models import Baseline
from stats.periods import month_end, month_start

# Bucketed tables and the columns that, with (bucket, day), make their key.
BUCKETED = {
    "stats_pageviews": ["path"],
    "stats_objectviews": ["kind", "object_id"],
    "stats_breakdown": ["dimension", "value"],
}


def stats_rebuild_months(*, first: date, last: date) -> None:
    """Recompute the monthly rows of the months first..last from the daily rows (after
    daily rows were generated, imported or deleted)."""
    start, end = month_start(first), month_end(last)
    with transaction.atomic(), connection.cursor() as cursor:
        for table, keys in BUCKETED.items():
            columns = ", ".join(keys)
            cursor.execute(
                f"DELETE FROM {table} WHERE bucket = 'm' AND day BETWEEN %s AND %s",  # noqa: S608
                [start, end],
            )
            cursor.execute(
                f"""
                INSERT INTO {table} (bucket, day, {columns}, n)
                SELECT 'm', date_trunc('month', day)::date, {columns}, sum(n)
                FROM {table} WHERE bucket = 'd' AND day BETWEEN %s AND %s
                GROUP BY 2, {columns}
                """,  # noqa: S608 - table and column names are the constants above
                [start, end],
            )


def stats_delete_days(*, first: date, last: date) -> int:
    """Delete every aggregate of the days first..last (monthly rows: rebuild after)."""
    deleted = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for table in ["stats_dailytraffic", "stats_hourlytraffic"]:
            cursor.execute(
                f"DELETE FROM {table} WHERE day BETWEEN %s AND %s",  # noqa: S608
                [first, last],
            )
            deleted += cursor.rowcount
        for table in BUCKETED:
            cursor.execute(
                f"DELETE FROM {table} WHERE bucket = 'd' AND day BETWEEN %s AND %s",  # noqa: S608
                [first, last],
            )
            deleted += cursor.rowcount
    return deleted


def stats_set_baseline(*, visits: int | None = None, page_views: int | None = None) -> Baseline:
    """Set the totals carried over from the old site (either or both); the "Thống kê"
    block shows the new total at once (stats.signals empties its cache)."""
    baseline, _ = Baseline.objects.get_or_create(pk=1)
    changed = []
    for name, value in (("visits", visits), ("page_views", page_views)):
        if value is not None and value != getattr(baseline, name):
            setattr(baseline, name, value)
            changed.append(name)
    if changed:
        baseline.save(update_fields=[*changed, "updated_at"])
    return baseline
