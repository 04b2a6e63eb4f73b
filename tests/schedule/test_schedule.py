"""The leadership work schedule ("Lịch công tác"): published weeks with previous/next,
per leader and for the whole office, "đã điều chỉnh" after publishing, copy forward, the
printable view and the iCalendar feed; bad weeks and unknown leaders refused."""

from datetime import date, time, timedelta

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from schedule import services
from schedule.models import Entry, Leader, Week, monday_of, week_label
from tests.conftest import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def leaders(db):
    return (
        Leader.objects.create(name="Nguyễn Văn Hùng", title="Trưởng ban", order=1),
        Leader.objects.create(name="Lê Thị Mai", title="Phó Trưởng ban", order=2),
    )


def make_week(leaders, monday=None, *, published=True, n=2):
    monday = monday or monday_of(timezone.localdate())
    week = Week.objects.create(start=monday)
    Entry.objects.create(
        week=week, leader=leaders[0], day=monday, start=time(8), end=time(10, 30),
        content="Dự hội nghị tổng kết công tác tuyên giáo", place="Hội trường Tỉnh ủy",
        attendees="Lãnh đạo Ban", preparer="Phòng Tuyên truyền",
    )  # fmt: skip
    Entry.objects.create(
        week=week, leader=None, day=monday + timedelta(days=2), start=time(14),
        content="Họp giao ban cơ quan", place="Phòng họp số 1",
    )  # fmt: skip
    for i in range(n - 2):
        Entry.objects.create(
            week=week, leader=leaders[1], day=monday + timedelta(days=i % 5),
            start=time(7 + i % 10), content=f"Làm việc với huyện số {i}",
        )  # fmt: skip
    if published:
        services.week_publish(week=week)
    return week


def test_current_week_shows_published_entries_with_prev_next(reader_client, leaders):
    week = make_week(leaders)
    html = reader_client.get("/lich-cong-tac/").content.decode()
    assert "Dự hội nghị tổng kết công tác tuyên giáo" in html
    assert "Họp giao ban cơ quan" in html and "Toàn cơ quan" in html
    assert "08:00 - 10:30" in html
    prev_label = week_label(week.start - timedelta(days=7))
    assert f'href="?tuan={prev_label}"' in html
    assert "(đã điều chỉnh)" not in html


def test_unpublished_week_is_not_shown(reader_client, leaders):
    make_week(leaders, published=False)
    html = reader_client.get("/lich-cong-tac/").content.decode()
    assert "Lịch công tác tuần này chưa được công bố." in html
    assert "Họp giao ban cơ quan" not in html


def test_leader_page_lists_only_their_entries(reader_client, leaders):
    make_week(leaders)
    html = reader_client.get(leaders[0].get_absolute_url()).content.decode()
    assert "Dự hội nghị tổng kết" in html
    assert "Họp giao ban cơ quan" not in html


def test_change_after_publishing_is_marked(reader_client, leaders):
    week = make_week(leaders)
    entry = week.entries.get(leader=leaders[0])
    entry.place = "Nhà khách Tỉnh ủy"
    entry.save()
    html = reader_client.get("/lich-cong-tac/").content.decode()
    assert "Nhà khách Tỉnh ủy" in html
    assert html.count("(đã điều chỉnh)") == 1


def test_other_week_by_iso_label(reader_client, leaders):
    monday = date(2026, 11, 30)  # week 49 of 2026
    make_week(leaders, monday)
    html = reader_client.get("/lich-cong-tac/?tuan=2026-W49").content.decode()
    assert "Tuần 49: 30/11 - 06/12/2026" in html
    assert "Họp giao ban cơ quan" in html


@pytest.mark.parametrize("value", ["2026-49", "tuan-nay", "2026-W60", "2026-W00", "99999-W01"])
def test_week_in_the_wrong_format_is_400(reader_client, leaders, value):
    response = reader_client.get(f"/lich-cong-tac/?tuan={value}")
    assert response.status_code == 400
    assert "Tuần không hợp lệ" in response.content.decode()


def test_unknown_leader_is_404_for_page_and_feed(reader_client, leaders):
    for url in ["/lich-cong-tac/khong-co-ai/", "/lich-cong-tac/khong-co-ai/lich.ics",
                "/lich-cong-tac/in/?lanh-dao=khong-co-ai"]:  # fmt: skip
        response = reader_client.get(url)
        assert response.status_code == 404
        assert "Không có lãnh đạo này" in response.content.decode()


def test_printable_view(reader_client, leaders):
    week = make_week(leaders)
    response = reader_client.get(f"/lich-cong-tac/in/?tuan={week.label}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "Bản in: Lịch công tác tuần" in html
    assert "Họp giao ban cơ quan" in html
    assert "print.css" in html


def test_icalendar_feed_per_leader(reader_client, leaders):
    week = make_week(leaders)
    entry = week.entries.get(leader=leaders[0])
    entry.content = "Dự hội nghị, có dấu phẩy; và chấm phẩy"
    entry.save()
    response = reader_client.get(f"{leaders[0].get_absolute_url()}lich.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = icalendar.Calendar.from_ical(response.content)
    events = list(calendar.walk("VEVENT"))
    assert len(events) == 1
    event = events[0]
    assert str(event["summary"]) == "[Đã điều chỉnh] Dự hội nghị, có dấu phẩy; và chấm phẩy"
    assert str(event["location"]) == "Hội trường Tỉnh ủy"
    starts = event.decoded("dtstart")
    assert (starts.hour, starts.minute, starts.date()) == (8, 0, week.start)
    assert str(starts.tzinfo) == "Asia/Ho_Chi_Minh"
    assert calendar.walk("VTIMEZONE")


def test_copy_forward_and_publish_from_the_admin(leaders):
    week = make_week(leaders, published=False)
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    response = client.post(
        "/admin/schedule/week/",
        {"action": "copy_forward", "_selected_action": [str(week.pk)]},
        follow=True,
    )
    assert "(chưa công bố)" in response.content.decode()
    following = Week.objects.get(start=week.start + timedelta(days=7))
    assert following.entries.count() == 2
    assert following.published_at is None
    assert sorted(following.entries.values_list("day", flat=True))[0] == week.start + timedelta(7)
    again = client.post(
        "/admin/schedule/week/",
        {"action": "copy_forward", "_selected_action": [str(week.pk)]},
        follow=True,
    )
    assert "đã có lịch; không sao chép" in again.content.decode()
    assert following.entries.count() == 2
    client.post("/admin/schedule/week/", {"action": "publish", "_selected_action": [str(week.pk)]})
    week.refresh_from_db()
    assert week.published_at is not None


def test_entry_outside_its_week_is_refused_in_the_admin(leaders):
    week = make_week(leaders, published=False, n=2)
    client = Client()
    client.force_login(make_user("quantri", superuser=True))
    data = {
        "start": week.start.strftime("%d/%m/%Y"), "note": "",
        "entries-TOTAL_FORMS": "1", "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0", "entries-MAX_NUM_FORMS": "1000",
        "entries-0-day": (week.start + timedelta(days=9)).strftime("%d/%m/%Y"),
        "entries-0-start": "08:00", "entries-0-content": "Lạc tuần",
    }  # fmt: skip
    response = client.post(f"/admin/schedule/week/{week.pk}/change/", data)
    assert response.status_code == 200
    assert "Ngày phải nằm trong tuần" in response.content.decode()
    assert not Entry.objects.filter(content="Lạc tuần").exists()


@pytest.mark.parametrize("n", [2, 30])
def test_schedule_pages_queries_do_not_grow(reader_client, leaders, n, django_assert_num_queries):
    make_week(leaders, n=n)
    reader_client.get("/lich-cong-tac/")  # warm the site-wide blocks
    # the week; its entries with their leaders; the leaders' list
    with django_assert_num_queries(3):
        assert reader_client.get("/lich-cong-tac/").status_code == 200
    # the leader; then as above
    with django_assert_num_queries(4):
        assert reader_client.get(leaders[1].get_absolute_url()).status_code == 200
    with django_assert_num_queries(2):  # the leader; their entries
        assert reader_client.get(f"{leaders[1].get_absolute_url()}lich.ics").status_code == 200


def test_schedule_is_in_the_sitemap(reader_client, leaders):
    xml = reader_client.get("/sitemap-schedule.xml").content.decode()
    assert "/lich-cong-tac/</loc>" in xml
    assert f"{leaders[0].get_absolute_url()}</loc>" in xml
