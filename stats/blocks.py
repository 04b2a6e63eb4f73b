"""The sidebar block "Thống kê": one query, then the shared cache for a few seconds."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import connection

from stats import counting, traffic

BLOCK_KEY = "stats:block:v1"


def site_totals() -> dict[str, int]:
    """Đang truy cập, Hôm nay, Hôm qua, Tháng này and Tổng lượt truy cập (visits).

    Never more than STATS_BLOCK_CACHE_SECONDS + STATS_FLUSH_INTERVAL stale.
    """
    cached = cache.get(BLOCK_KEY)
    if cached is not None:
        return cached
    totals = _query()
    if settings.STATS_BLOCK_CACHE_SECONDS > 0:
        cache.set(BLOCK_KEY, totals, settings.STATS_BLOCK_CACHE_SECONDS)
    return totals


def _query() -> dict[str, int]:
    now = counting.now()
    today = traffic.local_time(now).date()
    # Daily rows only (about 365 a year): the whole history adds up in well under a
    # millisecond, so the total needs no running counter of its own.
    sql = """
        SELECT
            (SELECT count(*) FROM stats_readerday WHERE last_seen >= %(since)s),
            coalesce(sum(visits) FILTER (WHERE day = %(today)s), 0),
            coalesce(sum(visits) FILTER (WHERE day = %(yesterday)s), 0),
            coalesce(sum(visits) FILTER (WHERE day >= %(month)s AND day <= %(today)s), 0),
            coalesce(sum(visits), 0)
                + (SELECT coalesce(sum(visits), 0) FROM stats_baseline)
        FROM stats_dailytraffic
    """
    params = {
        "since": now - timedelta(minutes=settings.STATS_ONLINE_MINUTES),
        "today": today,
        "yesterday": today - timedelta(days=1),
        "month": today.replace(day=1),
    }
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        online, today_n, yesterday_n, month_n, total = cursor.fetchone()
    return {
        "online": int(online),
        "today": int(today_n),
        "yesterday": int(yesterday_n),
        "month": int(month_n),
        "total": int(total),
    }


def invalidate() -> None:
    cache.delete(BLOCK_KEY)
