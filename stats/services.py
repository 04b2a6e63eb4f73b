"""Writes that span the aggregate tables (the flush itself lives in stats.traffic and
stats.counting)."""

from datetime import date

from django.db import connection, transaction

from stats import counting
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


def stats_set_counter_base(*, kind: str, base: dict[int, int]) -> int:
    """Set registered counters to a carried-over count plus what the portal counted itself.

    `base` maps object ids to the count the old site had (its latest figure: an import can
    run again while the old site still counts). The portal's own counts are its daily rows
    in stats_objectviews, exactly the increments stats.counting gave the column, so
    running this again never loses a reader's view nor adds the old count twice. Returns
    how many objects changed.
    """
    if not base:
        return 0
    counter = counting.registered(kind)
    meta = counter.model._meta
    table = connection.ops.quote_name(meta.db_table)
    column = connection.ops.quote_name(meta.get_field(counter.field).column)
    pk = connection.ops.quote_name(meta.pk.column)
    ids = list(base)
    own = """coalesce((SELECT sum(o.n) FROM stats_objectviews o
                      WHERE o.bucket = 'd' AND o.kind = %s AND o.object_id = b.id), 0)"""
    with connection.cursor() as cursor:
        cursor.execute(
            f"""
            UPDATE {table} AS t SET {column} = b.n + {own}
            FROM unnest(%s::bigint[], %s::bigint[]) AS b(id, n)
            WHERE t.{pk} = b.id AND t.{column} IS DISTINCT FROM b.n + {own}
            """,  # noqa: S608 - identifiers come from the registry, values are parameters
            [kind, ids, [max(0, int(base[i])) for i in ids], kind],
        )
        return cursor.rowcount
