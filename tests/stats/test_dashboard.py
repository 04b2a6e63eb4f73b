"""The admin dashboard "Thống kê truy cập": who may see it, what a period shows, the CSV
export, bad input, and its cost."""

import csv
import io
import re
from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from stats import counting, summaries
from stats.models import Baseline, DailyTraffic, ObjectViews
from stats.periods import Period, split_months
from tests.conftest import make_article
from tests.stats.conftest import IPHONE_SAFARI, flush, reader

pytestmark = pytest.mark.django_db
URL = "/admin/thong-ke/"


@pytest.fixture
def march(clock):
    """A few real readers on 10 March 2026: two articles, a referrer, two devices."""
    first = make_article("Hội nghị tổng kết công tác tuyên giáo")
    second = make_article("Kinh tế tỉnh tăng trưởng 6,32%")
    clock.set(2026, 3, 10, 8, 30)
    for i in range(3):
        reader(ip=f"203.113.6.{i}", HTTP_REFERER="https://www.google.com/").get(
            first.get_absolute_url()
        )
    clock.set(2026, 3, 10, 20, 5)
    reader(ip="203.113.6.9", ua=IPHONE_SAFARI).get(second.get_absolute_url())
    reader(ip="203.113.6.9", ua=IPHONE_SAFARI).get("/")
    flush()
    return first, second


def test_anonymous_is_sent_to_the_admin_login(client):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_staff_without_the_permission_is_refused(client, reporter):
    client.force_login(reporter)
    assert client.get(URL).status_code == 403


def test_editor_sees_the_period_in_charts_and_tables(client, editor, march):
    first, second = march
    client.force_login(editor)
    response = client.get(URL, {"thang": "2026-03"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Thống kê truy cập: Tháng 03/2026" in html
    assert html.count("<svg") >= 4  # per day, per hour, per month, article views per day
    for heading in ["Theo ngày", "Theo giờ trong ngày", "Theo tháng", "Bài viết (lượt xem)"]:
        assert heading in html
    # The numbers are in tables too.
    assert '<th scope="row">10/03/2026</th><td>4</td><td>5</td><td>4</td>' in html
    assert '<th scope="row">08:00–08:59</th><td>3</td><td>3</td><td>3</td>' in html
    # Top articles with their titles, most read first.
    assert html.index(first.title) < html.index(second.title)
    assert "www.google.com" in html
    assert "Chrome" in html and "Safari" in html
    assert "Điện thoại" in html
    assert "cdn" not in html.lower() and '<script src="http' not in html


def test_admin_index_leads_to_the_dashboard(client, editor):
    client.force_login(editor)
    assert "Thống kê truy cập" in client.get("/admin/").content.decode()
    response = client.get("/admin/stats/dailytraffic/")
    assert response.status_code == 302
    assert response["Location"] == URL


@pytest.mark.parametrize(
    "query, message",
    [
        ({"tu": "2026-03-10", "den": "2026-03-01"}, "Ngày bắt đầu phải trước"),
        ({"thang": "2026-13"}, "Tháng không hợp lệ"),
        ({"nam": "hai nghìn"}, "Năm phải là một số"),
        ({"nam": "1990"}, "Năm phải từ 2000 đến 2100"),
        ({"tu": "ngày mai"}, "Ngày không hợp lệ"),
        ({"tu": "2000-01-01", "den": "2026-01-01"}, "dài nhất là 10 năm"),
        ({"tu": "1999-12-30", "den": "2000-01-02"}, "Năm phải từ 2000 đến 2100"),
    ],
)
def test_bad_period_is_a_400_with_a_message(client, editor, query, message):
    client.force_login(editor)
    response = client.get(URL, query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_periods_by_year_month_and_days(client, editor, march):
    client.force_login(editor)
    assert "Năm 2026" in client.get(URL, {"nam": "2026"}).content.decode()
    html = client.get(URL, {"tu": "10/03/2026", "den": "2026-03-11"}).content.decode()
    assert "Từ 10/03/2026 đến 11/03/2026" in html
    assert "Hội nghị tổng kết công tác tuyên giáo" in html
    html = client.get(URL, {"thang": "2026-02"}).content.decode()
    assert "Hội nghị tổng kết công tác tuyên giáo" not in html
    assert "Chưa có số liệu trong kỳ này." in html


def test_csv_export_of_a_period(client, editor, march):
    first, _ = march
    client.force_login(editor)
    response = client.get(URL, {"thang": "2026-03", "xuat": "article"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    # Like the reports: a title row naming the list and the period, the header, the rows
    # and the totals.
    assert rows[0][0].startswith("Thống kê truy cập: Bài viết (lượt xem) — Tháng 03/2026 — lập lúc")
    assert rows[1] == ["Bài viết (lượt xem)", "Lượt", "Địa chỉ"]
    assert rows[2] == [first.title, "3", first.get_absolute_url()]
    assert rows[-1] == ["Tổng cộng (2 dòng)", "4", ""]
    days = list(
        csv.reader(
            io.StringIO(
                client.get(URL, {"thang": "2026-03", "xuat": "ngay"}).content.decode("utf-8-sig")
            )
        )
    )
    assert days[0][0].startswith("Thống kê truy cập: Theo ngày — Tháng 03/2026")
    assert days[1] == ["Ngày", "Lượt xem trang", "Lượt truy cập", "Người đọc trong ngày"]
    assert len(days) == 2 + 31 + 1
    assert ["10/03/2026", "5", "4", "4"] in days
    assert days[-1] == ["Tổng cộng (31 dòng)", "5", "4", "4"]
    assert client.get(URL, {"thang": "2026-03", "xuat": "khong-co"}).status_code == 400


def test_a_year_adds_whole_months_and_loose_days_right(clock):
    call_command(
        "generate_stats", "--days", "75", "--end", "2026-03-15", "--per-day", "1000",
        "--pages", "40", "--objects", "20", "-v", "0",
    )  # fmt: skip
    for start, end in [
        (date(2026, 1, 1), date(2026, 3, 15)),
        (date(2026, 1, 20), date(2026, 3, 3)),
    ]:
        period = Period.range(start, end)
        expected = {}
        daily = ObjectViews.objects.filter(bucket="d", day__gte=start, day__lte=end)
        for object_id, n in daily.values_list("object_id", "n"):
            expected[object_id] = expected.get(object_id, 0) + n
        table = summaries.top_objects(period, "article", limit=None)
        assert sum(r.values[0] for r in table.rows) == sum(expected.values())
        assert len(table.rows) == len(expected)


def test_split_months():
    assert split_months(date(2026, 1, 20), date(2026, 4, 3)) == (
        (date(2026, 1, 20), date(2026, 1, 31)),
        [date(2026, 2, 1), date(2026, 3, 1)],
        (date(2026, 4, 1), date(2026, 4, 3)),
    )
    assert split_months(date(2026, 2, 1), date(2026, 2, 28)) == (
        (None, None),
        [date(2026, 2, 1)],
        (None, None),
    )
    assert split_months(date(2026, 2, 3), date(2026, 2, 10)) == (
        (date(2026, 2, 3), date(2026, 2, 10)),
        [],
        (None, None),
    )


def test_dashboard_queries_do_not_grow_with_history(client, editor, clock):
    client.force_login(editor)
    client.get(URL, {"nam": "2025"})  # session, user and permissions cached after this

    def queries(days):
        call_command(
            "generate_stats", "--days", str(days), "--end", "2025-12-31", "--per-day", "500",
            "--pages", "30", "--objects", "10", "--replace", "-v", "0",
        )  # fmt: skip
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL, {"nam": "2025"}).status_code == 200
        return len(captured)

    # session, user, user and group permissions; the block's totals; daily, hourly, each
    # kind per day; per counted kind its top objects and their titles; top pages;
    # referrers; browsers/systems/devices
    assert queries(20) == queries(365) <= 11 + 2 * len(counting.kinds())


def test_administrator_sets_the_old_sites_total_in_the_admin(client, admin_user, clock):
    client.force_login(admin_user)
    response = client.post(
        "/admin/stats/baseline/add/", {"visits": "8692052", "page_views": "0"}, follow=True
    )
    assert response.status_code == 200
    assert Baseline.objects.get().visits == 8_692_052
    # One row only: no second "add", and the block shows the total at once.
    assert client.get("/admin/stats/baseline/add/").status_code == 403
    html = reader().get("/").content.decode()
    assert "Tổng lượt truy cập: <strong>8.692.052</strong>" in html
    bad = client.post("/admin/stats/baseline/1/change/", {"visits": "-5", "page_views": "0"})
    assert bad.status_code == 200  # the form again, with the error
    assert Baseline.objects.get().visits == 8_692_052


def test_numbers_are_grouped_with_dots_and_decimals_take_a_comma(client, editor, clock):
    """One Vietnamese rule on the dashboard: "8.692.055" beside "46,33"."""
    DailyTraffic.objects.create(day=date(2026, 3, 9), page_views=1_234_567, visits=26_646,
                                readers=20_114)  # fmt: skip
    Baseline.objects.create(visits=8_692_052)
    client.force_login(editor)
    html = client.get(URL, {"thang": "2026-03"}).content.decode()
    assert "Lượt xem trang <strong>1.234.567</strong>" in html
    assert "Lượt truy cập <strong>26.646</strong>" in html
    assert "Người đọc (cộng theo ngày) <strong>20.114</strong>" in html
    assert "<strong>46,33</strong>" in html  # pages per visit
    assert "Tổng lượt truy cập <strong>8.718.698</strong>" in html  # 8.692.052 + 26.646
    text = re.sub(r"<[^>]*>", " ", html)  # what is read, not the charts' coordinates
    assert not re.search(r"\d,\d{3}\b", text)  # no comma-grouped number anywhere


def test_a_chart_of_small_numbers_labels_each_gridline_once(client, editor, clock):
    DailyTraffic.objects.create(day=date(2026, 3, 9), page_views=2, visits=2, readers=1)
    client.force_login(editor)
    html = client.get(URL, {"thang": "2026-03"}).content.decode()
    start = html.index('<svg class="chart"')
    svg = html[start : html.index("</svg>", start)]
    axis = re.findall(r'text-anchor="end" fill="#444">([^<]*)</text>', svg)
    assert axis == ["0", "1", "2"]


def test_administrator_types_the_old_total_with_dots(client, admin_user):
    client.force_login(admin_user)
    response = client.post("/admin/stats/baseline/add/", {"visits": "8.692.052",
                                                         "page_views": "12.000.000"})  # fmt: skip
    assert response.status_code == 302
    assert Baseline.objects.get().visits == 8_692_052
    form = client.get("/admin/stats/baseline/1/change/").content.decode()
    assert 'value="8.692.052"' in form
    assert "8.692.052" in client.get("/admin/stats/baseline/").content.decode()
