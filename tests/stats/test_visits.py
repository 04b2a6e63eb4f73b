"""Visits (a reader's views with no gap over 30 minutes), unique readers, the day boundary
of Asia/Ho_Chi_Minh, and the daily salt that keeps readers anonymous."""

from datetime import date, timedelta

import pytest
from django.test import RequestFactory

from stats import counting, readers, traffic
from stats.models import DailySalt, DailyTraffic, HourlyTraffic, ReaderDay
from tests.stats.conftest import ANDROID_CHROME, flush, reader

pytestmark = pytest.mark.django_db
DAY, NEXT = date(2026, 3, 10), date(2026, 3, 11)


def visits(day=DAY):
    row = DailyTraffic.objects.filter(day=day).first()
    return (row.visits, row.readers) if row else (0, 0)


def hourly(day=DAY):
    return {
        h.hour: (h.page_views, h.visits, h.readers) for h in HourlyTraffic.objects.filter(day=day)
    }


@pytest.mark.parametrize("flush_between", [True, False], ids=["flushed", "one-batch"])
def test_a_gap_over_30_minutes_starts_a_new_visit(clock, flush_between):
    browser = reader()
    for minute in [(9, 0), (9, 20), (9, 50), (10, 21), (10, 51)]:
        clock.set(2026, 3, 10, *minute)
        assert browser.get("/").status_code == 200
        if flush_between:
            flush()
    flush()
    # 9:00-9:20-9:50 (gaps 20 and 30 minutes: one visit), 10:21 (31 minutes: a new one),
    # 10:51 (30 minutes: the same).
    assert visits() == (2, 1)
    assert hourly() == {9: (3, 1, 1), 10: (2, 1, 1)}
    assert ReaderDay.objects.get(day=DAY).visits == 2


def test_visits_and_readers_are_counted_apart_for_each_reader(clock):
    for i in range(3):
        reader(ip=f"203.113.9.{i}").get("/")
    # Same address, another browser: another reader.
    reader(ip="203.113.9.0", ua=ANDROID_CHROME.replace("13", "14")).get("/")
    clock.set(2026, 3, 10, 11, 0)
    reader(ip="203.113.9.0").get("/")
    flush()
    assert visits() == (5, 4)
    assert hourly() == {9: (4, 4, 4), 11: (1, 1, 1)}


def test_midnight_in_ho_chi_minh_closes_the_day_and_its_visits(clock):
    browser = reader()
    clock.set(2026, 3, 10, 23, 50)
    browser.get("/")
    clock.set(2026, 3, 11, 0, 10)  # 20 minutes later, but another day
    browser.get("/")
    clock.set(2026, 3, 11, 0, 35)  # 25 minutes later: same visit
    browser.get("/")
    flush()
    # Each day's figures stand alone: the reader's id changes with the day's salt, so
    # the visit that crosses midnight is counted once on each side (as web analytics do).
    assert visits(DAY) == (1, 1)
    assert visits(NEXT) == (1, 1)
    assert hourly(DAY) == {23: (1, 1, 1)}
    assert hourly(NEXT) == {0: (2, 1, 1)}


def test_midnight_utc_is_not_a_day_boundary(clock):
    browser = reader()
    clock.set(2026, 3, 10, 6, 50)  # 23:50 UTC on the 9th
    browser.get("/")
    clock.set(2026, 3, 10, 7, 10)  # 00:10 UTC on the 10th
    browser.get("/")
    flush()
    assert visits(DAY) == (1, 1)
    assert DailyTraffic.objects.count() == 1


def test_workers_flushing_out_of_order_agree_on_one_visit(clock):
    """Two gunicorn workers served one reader a few seconds apart; the later view is
    written first. The visit rule is decided in the database, by the row lock."""
    other_worker = counting.Buffer()
    request = RequestFactory(HTTP_USER_AGENT=ANDROID_CHROME, REMOTE_ADDR="203.113.1.10").get("/")
    browser = reader()
    browser.get("/")  # this worker, 09:00:00
    at = clock.now + timedelta(seconds=5)
    other_worker.add_page_view(
        at=at,
        reader=readers.reader_id(request, DAY),
        path="/",
        referrer="",
        client=("Chrome", "Android", "phone"),
    )
    other_worker.flush()
    flush()
    assert visits() == (1, 1)
    assert DailyTraffic.objects.get(day=DAY).page_views == 2
    clock.set(2026, 3, 10, 9, 40)  # 35 minutes after the later view
    browser.get("/")
    flush()
    assert visits() == (2, 1)


def test_the_salt_changes_every_day_and_yesterdays_ids_cannot_be_linked(clock):
    request = RequestFactory(HTTP_USER_AGENT=ANDROID_CHROME, REMOTE_ADDR="203.113.1.10").get("/")
    reader().get("/")
    flush()
    yesterday_id = bytes(ReaderDay.objects.get(day=DAY).reader)
    assert list(DailySalt.objects.values_list("day", flat=True)) == [DAY]

    clock.set(2026, 3, 11, 8, 0)
    reader().get("/")
    flush()
    today_id = bytes(ReaderDay.objects.get(day=NEXT).reader)
    assert today_id != yesterday_id
    # Yesterday's salt is gone from the database and from this process: yesterday's id
    # can be neither recomputed from an address nor matched with today's.
    assert list(DailySalt.objects.values_list("day", flat=True)) == [NEXT]
    readers.reset_salt_cache()
    assert readers.reader_id(request, DAY) != yesterday_id
    assert not DailySalt.objects.filter(day=DAY).exists()


def test_readers_of_days_before_yesterday_are_forgotten(clock):
    reader().get("/")
    flush()
    clock.set(2026, 3, 11, 9, 0)
    reader(ip="203.113.7.7").get("/")
    flush()
    assert traffic.purge_readers(NEXT) == 0  # yesterday's row stays for late flushes
    assert traffic.purge_readers(date(2026, 3, 12)) == 1
    assert list(ReaderDay.objects.values_list("day", flat=True)) == [NEXT]
    # The daily figures are kept forever.
    assert visits(DAY) == (1, 1)
