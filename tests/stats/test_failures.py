"""A counting failure (the database unavailable for a moment) never breaks a reader's
page, is logged, and loses no count: the batch is kept and written by the next flush.

"Unavailable" is real here: another connection holds, uncommitted, the very row a
statement of ours must write, and this connection gives up waiting after 200 ms, as it
would on an outage."""

import logging
from contextlib import contextmanager

import psycopg2
import pytest
from django.db import connection

from stats import counting
from stats.models import DailyTraffic, PageViews
from tests.conftest import make_article
from tests.stats.conftest import flush, reader

pytestmark = pytest.mark.django_db


@contextmanager
def row_held(insert_sql: str, params: list):
    other = psycopg2.connect(**connection.get_connection_params())
    try:
        with other.cursor() as cursor:
            cursor.execute(insert_sql, params)  # in a transaction left open
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
        yield
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = 0")


def test_a_failed_flush_keeps_every_count_for_the_next(clock, caplog):
    article = make_article()
    for i in range(3):
        assert reader(ip=f"203.113.5.{i}").get(article.get_absolute_url()).status_code == 200
    today = clock.now.date()
    held = row_held(
        "INSERT INTO stats_dailytraffic (day, page_views, visits, readers) VALUES (%s, 0, 0, 0)",
        [today],
    )
    with held, caplog.at_level(logging.ERROR):
        assert flush() == 0
    assert "stats flush failed" in caplog.text
    assert counting.buffer.pending() == 3
    assert counting.buffer.pending_page_views() == 3
    assert not DailyTraffic.objects.exists()  # nothing half-written
    article.refresh_from_db()
    assert article.view_count == 0

    reader(ip="203.113.5.9").get("/")
    assert flush() == 3
    row = DailyTraffic.objects.get()
    assert (row.page_views, row.visits, row.readers) == (4, 4, 4)
    article.refresh_from_db()
    assert article.view_count == 3
    assert counting.buffer.pending_page_views() == 0


def test_a_reader_page_is_served_when_counting_cannot_reach_the_database(clock, caplog):
    article = make_article()
    held = row_held(
        "INSERT INTO stats_dailysalt (day, value) VALUES (%s, %s)",
        [clock.now.date(), b"x" * 32],
    )
    with held, caplog.at_level(logging.ERROR):
        response = reader().get(article.get_absolute_url())
        assert response.status_code == 200
        assert article.title in response.content.decode()
        assert reader().get("/").status_code == 200
    assert "could not count" in caplog.text
    # Once the database answers again, counting goes on.
    assert reader().get("/").status_code == 200
    flush()
    assert PageViews.objects.get(bucket="d", path="/").n == 1
