"""generate_stats (made-up history for benchmarks) and set_stats_baseline."""

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Sum

from stats.models import Baseline, Breakdown, DailyTraffic, HourlyTraffic, ObjectViews, PageViews

pytestmark = pytest.mark.django_db


def generate(*args):
    out = StringIO()
    call_command(
        "generate_stats", "--end", "2026-02-28", "--per-day", "2000", "--pages", "50",
        "--objects", "30", *args, stdout=out,
    )  # fmt: skip
    return out.getvalue()


def test_generate_stats_writes_consistent_aggregates():
    generate("--days", "59")
    assert DailyTraffic.objects.count() == 59
    assert DailyTraffic.objects.earliest().day == date(2026, 1, 1)
    assert HourlyTraffic.objects.count() == 59 * 24
    for day in DailyTraffic.objects.all()[:3]:
        hours = HourlyTraffic.objects.filter(day=day.day).aggregate(
            pv=Sum("page_views"), v=Sum("visits")
        )
        assert (hours["pv"], hours["v"]) == (day.page_views, day.visits)
        assert 1600 * 0.75 < day.page_views < 2400 * 1.01
    assert PageViews.objects.filter(bucket="d").count() == 59 * 50
    # The monthly rows are the sums of the daily ones.
    for model in (PageViews, ObjectViews, Breakdown):
        daily = model.objects.filter(bucket="d", day__month=2).aggregate(n=Sum("n"))["n"]
        monthly = model.objects.filter(bucket="m", day=date(2026, 2, 1))
        assert monthly.aggregate(n=Sum("n"))["n"] == daily
    assert (
        Breakdown.objects.filter(bucket="d", dimension="device").values("value").distinct().count()
        == 3
    )


def test_generate_stats_refuses_to_mix_with_existing_days_unless_replacing():
    generate("--days", "10")
    with pytest.raises(CommandError, match="--replace"):
        generate("--days", "10")
    before = PageViews.objects.filter(bucket="m").aggregate(n=Sum("n"))["n"]
    generate("--days", "10", "--replace", "--seed", "0.1")
    assert DailyTraffic.objects.count() == 10
    after = PageViews.objects.filter(bucket="m").aggregate(n=Sum("n"))["n"]
    assert after == PageViews.objects.filter(bucket="d").aggregate(n=Sum("n"))["n"]
    assert before != after  # another seed, rebuilt months


def test_generate_stats_dry_run_writes_nothing():
    assert "--dry-run" in generate("--days", "5", "--dry-run")
    assert not DailyTraffic.objects.exists()


def test_generate_stats_rejects_bad_options():
    with pytest.raises(CommandError, match="--days"):
        generate("--days", "0")
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("generate_stats", "--end", "31/02/2026")


def test_set_stats_baseline():
    out = StringIO()
    call_command("set_stats_baseline", "--visits", "8692052", stdout=out)
    assert "8.692.052" in out.getvalue()
    assert Baseline.objects.get().visits == 8_692_052
    call_command("set_stats_baseline", "--page-views", "123", stdout=out)
    assert (Baseline.objects.get().visits, Baseline.objects.get().page_views) == (8_692_052, 123)
    with pytest.raises(CommandError, match="không âm"):
        call_command("set_stats_baseline", "--visits", "-1")
