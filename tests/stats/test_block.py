"""The sidebar block "Thống kê": what it shows, what it costs, how stale it can be."""

import time
from datetime import date, timedelta

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats import blocks, counting
from stats.models import Baseline, DailyTraffic
from tests.stats.conftest import flush, reader

pytestmark = pytest.mark.django_db


def block_of(html: str) -> str:
    start = html.index('<section class="block stats-block"')
    return html[start : html.index("</section>", start)]


def stat(html: str, name: str) -> str:
    block = block_of(html)
    start = block.index(f'data-stat="{name}"')
    return block[block.index("<strong>", start) + 8 : block.index("</strong>", start)]


def test_block_shows_every_figure_with_thousands_separators(clock):
    today = date(2026, 3, 10)
    DailyTraffic.objects.bulk_create(
        [
            DailyTraffic(day=today, visits=18_089, page_views=51_000),
            DailyTraffic(day=today - timedelta(days=1), visits=20_114, page_views=60_000),
            DailyTraffic(day=date(2026, 3, 1), visits=1_000, page_views=3_000),
            DailyTraffic(day=date(2026, 2, 28), visits=5, page_views=9),
        ]
    )
    Baseline.objects.create(visits=8_692_052)
    for i in range(3):
        reader(ip=f"203.113.8.{i}").get("/")
    flush()
    blocks.invalidate()

    html = reader(ip="203.113.8.99").get("/").content.decode()
    assert "Thống kê" in block_of(html)
    assert stat(html, "online") == "3"
    assert stat(html, "today") == "18.092"  # 18.089 + the 3 readers just now
    assert stat(html, "yesterday") == "20.114"
    assert stat(html, "month") == "39.206"
    assert stat(html, "total") == "8.731.263"  # the old site's 8.692.052 goes on


def test_online_counts_readers_of_the_last_5_minutes_in_every_worker(clock):
    reader(ip="203.113.8.1").get("/")
    reader(ip="203.113.8.1").get("/")
    clock.set(2026, 3, 10, 9, 3)
    # Another gunicorn worker (its own buffer) served another reader.
    other_worker = counting.Buffer()
    other_worker.add_page_view(
        at=clock.now, reader=b"r" * 16, path="/", referrer="", client=("Chrome", "Android", "phone")
    )
    other_worker.flush()
    flush()
    blocks.invalidate()
    assert blocks.site_totals()["online"] == 2
    blocks.invalidate()
    clock.set(2026, 3, 10, 9, 6)  # the first reader's last view is 6 minutes old
    assert blocks.site_totals()["online"] == 1


def test_block_costs_one_query_then_none_from_the_cache(reader_client, clock):
    with CaptureQueriesContext(connection) as first:
        blocks.site_totals()
    with CaptureQueriesContext(connection) as second:
        blocks.site_totals()
    assert len(first) == 1
    assert len(second) == 0
    reader_client.get("/")  # the page: the block is served from the cache
    with CaptureQueriesContext(connection) as page:
        assert reader_client.get("/").status_code == 200
    assert not [q for q in page.captured_queries if "stats_" in q["sql"]]


def test_block_is_refreshed_once_its_cache_expires(settings, clock):
    settings.STATS_BLOCK_CACHE_SECONDS = 1
    assert blocks.site_totals()["today"] == 0
    reader().get("/")
    flush()
    assert blocks.site_totals()["today"] == 0  # cached
    time.sleep(1.1)
    assert blocks.site_totals()["today"] == 1


def test_baseline_command_sets_the_starting_total(clock):
    call_command("set_stats_baseline", "--visits", "8692052", "--page-views", "20000000")
    baseline = Baseline.objects.get()
    assert (baseline.visits, baseline.page_views) == (8_692_052, 20_000_000)
    html = reader().get("/").content.decode()
    assert stat(html, "total") == "8.692.052"
