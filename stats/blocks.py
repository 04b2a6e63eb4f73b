"""The sidebar block "Thống kê": one query, then each worker's memory for a few seconds."""

from datetime import timedelta

from django.conf import settings
from django.core.cache import caches
from django.db import connection
from django.template.loader import render_to_string
from django.utils.translation import get_language

from stats import counting, traffic

BLOCK_KEY = "stats:block:v1"


def site_totals() -> dict[str, int]:
    """Đang truy cập, Hôm nay, Hôm qua, Tháng này and Tổng lượt truy cập (visits).

    Never more than STATS_BLOCK_CACHE_SECONDS + STATS_FLUSH_INTERVAL stale. Kept in each
    worker's memory (the "fragments" cache): one query per worker per period costs less
    than a shared-cache read on every page.
    """
    store = caches["fragments"]
    cached = store.get(BLOCK_KEY)
    if cached is not None:
        return cached
    totals = _query()
    if settings.STATS_BLOCK_CACHE_SECONDS > 0:
        store.set(BLOCK_KEY, totals, settings.STATS_BLOCK_CACHE_SECONDS)
    return totals


# The HTML of the last figures rendered, by those figures and the language.
_rendered: dict[tuple, str] = {}


def block_html() -> str:
    """The block as HTML. A page-cache hit makes it on every view, where rendering the
    template was a third of the hit; the figures change at most once per
    STATS_BLOCK_CACHE_SECONDS, so the HTML of the same figures is reused (it cannot be
    staler than the figures: they are its key)."""
    totals = site_totals()
    key = (get_language(), *sorted(totals.items()))
    html = _rendered.get(key)
    if html is None:
        html = render_to_string("stats/block.html", {"totals": totals})
        _rendered.clear()
        _rendered[key] = html
    return html


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
    """This worker's figures; the other workers' follow within STATS_BLOCK_CACHE_SECONDS."""
    caches["fragments"].delete(BLOCK_KEY)
