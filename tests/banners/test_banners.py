"""Banner blocks, clicks and impressions as a reader meets them."""

import re
from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from banners import blocks
from banners.impressions import IMPRESSION, tally
from banners.models import Banner, BannerPosition, DailyTally
from banners.reports import CLICK
from stats import counting
from stats.models import Bucket, ObjectViews
from tests.banners.conftest import banner_position, make_banner
from tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


def sidebar(html: str) -> str:
    return html[html.index('<aside class="sidebar"') : html.index("</aside>")]


def block(html: str, position: str) -> str:
    match = re.search(rf'data-position="{position}">(.*?)</(section|div)>', html, re.S)
    return match.group(1) if match else ""


def tallies(kind):
    return dict(DailyTally.objects.filter(kind=kind).values_list("object_id", "n"))


def clicks_today():
    """Banner clicks of today as stats keeps them (what the banner report reads)."""
    rows = ObjectViews.objects.filter(kind=CLICK, bucket=Bucket.DAY, day=timezone.localdate())
    return dict(rows.values_list("object_id", "n"))


def test_links_block_shows_active_banners_in_order(reader_client):
    second = make_banner("Báo Bình Phước", url="https://baobinhphuoc.com.vn/", order=2)
    first = make_banner("Tạp chí Tuyên giáo", url="https://tuyengiao.vn/", order=1)
    html = reader_client.get("/").content.decode()
    links = block(sidebar(html), "links")
    assert "Liên kết" in sidebar(html)
    assert links.index("Tạp chí Tuyên giáo") < links.index("Báo Bình Phước")
    # Links go through the portal, never straight to the target.
    assert f'href="/lien-ket/{first.pk}/"' in links
    assert f'href="/lien-ket/{second.pk}/"' in links
    assert "https://tuyengiao.vn/" not in html


def test_quick_links_and_header_banner_have_their_own_places(reader_client):
    make_banner("Lịch làm việc", position="quick", url="https://btgtu.binhphuoc.gov.vn/lich/")
    make_banner("Sổ tay đảng viên điện tử", position="quick", url="https://sotaydangvien.vn/")
    make_banner(
        "Chào mừng Đại hội Đảng bộ tỉnh", position="header", url="https://binhphuoc.gov.vn/"
    )
    html = reader_client.get("/").content.decode()
    header = html[: html.index("</header>")]
    assert "Chào mừng Đại hội Đảng bộ tỉnh" in block(header, "header")
    quick = block(sidebar(html), "quick")
    assert "Liên kết nhanh" in sidebar(html)
    assert "Lịch làm việc" in quick and "Sổ tay đảng viên điện tử" in quick
    assert "Chào mừng" not in sidebar(html)


def test_expired_inactive_and_future_banners_are_not_shown(reader_client):
    now = timezone.now()
    make_banner("Đang hiện")
    make_banner("Đã hết hạn", end_at=now - timedelta(minutes=1), start_at=now - timedelta(days=2))
    make_banner("Đã tắt", is_active=False)
    make_banner("Chưa tới giờ", start_at=now + timedelta(hours=1))
    html = reader_client.get("/").content.decode()
    assert "Đang hiện" in html
    for title in ["Đã hết hạn", "Đã tắt", "Chưa tới giờ"]:
        assert title not in html


def test_scheduled_banner_appears_and_expires_by_the_clock_alone(reader_client, monkeypatch):
    now = timezone.now()
    make_banner("Hẹn giờ", start_at=now + timedelta(hours=1), end_at=now + timedelta(hours=3))
    assert "Hẹn giờ" not in reader_client.get("/").content.decode()
    # The cached rows are judged against the clock on each view: no cache change needed.
    monkeypatch.setattr(blocks.timezone, "now", lambda: now + timedelta(hours=2))
    assert "Hẹn giờ" in reader_client.get("/").content.decode()
    monkeypatch.setattr(blocks.timezone, "now", lambda: now + timedelta(hours=4))
    assert "Hẹn giờ" not in reader_client.get("/").content.decode()


def test_staff_changes_show_at_once(reader_client):
    banner = make_banner("Tên cũ")
    assert "Tên cũ" in reader_client.get("/").content.decode()
    banner.title = "Tên mới"
    banner.save()
    html = reader_client.get("/").content.decode()
    assert "Tên mới" in html and "Tên cũ" not in html
    banner_position("links", heading="Trang liên kết")
    assert "Trang liên kết" in reader_client.get("/").content.decode()
    banner.delete()
    assert "Tên mới" not in reader_client.get("/").content.decode()


def test_one_at_random_shows_a_single_banner_per_view(reader_client):
    banner_position("links", mode=BannerPosition.Mode.RANDOM_ONE)
    titles = [f"Đối tác số {i}" for i in range(5)]
    for i, title in enumerate(titles):
        make_banner(title, order=i)
    seen = set()
    for _ in range(25):
        links = block(sidebar(reader_client.get("/").content.decode()), "links")
        shown = [t for t in titles if t in links]
        assert len(shown) == 1
        seen.update(shown)
    assert len(seen) > 1  # 5 banners, 25 views: one banner every time is (0.2)^24


def test_shuffled_shows_every_banner_in_varying_order(reader_client):
    banner_position("links", mode=BannerPosition.Mode.SHUFFLED)
    titles = [f"Đối tác số {i}" for i in range(6)]
    for i, title in enumerate(titles):
        make_banner(title, order=i)
    orders = set()
    for _ in range(10):
        links = block(sidebar(reader_client.get("/").content.decode()), "links")
        assert all(t in links for t in titles)
        orders.add(tuple(sorted(titles, key=links.index)))
    assert len(orders) > 1


def test_text_only_and_image_banners(reader_client):
    make_banner("Fanpage Ban Tuyên giáo", position="quick")
    make_banner("Báo Nhân Dân", image="banners/nhandan.jpg", width=640, height=160)
    html = reader_client.get("/").content.decode()
    assert '<span class="banner-text">Fanpage Ban Tuyên giáo</span>' in html
    assert (
        '<img src="/media/banners/nhandan.jpg" alt="Báo Nhân Dân" loading="lazy" width="640" height="160">'
        in html
    )


# Clicks


def test_click_redirects_to_the_stored_url_and_counts_once_per_reader(reader_client):
    banner = make_banner(url="https://chinhphu.vn/?a=1")
    response = reader_client.get(f"/lien-ket/{banner.pk}/")
    assert response.status_code == 302
    assert response["Location"] == "https://chinhphu.vn/?a=1"
    reader_client.get(f"/lien-ket/{banner.pk}/")  # the same reader again, inside 30 minutes
    counting.buffer.flush()
    banner.refresh_from_db()
    assert banner.click_count == 1
    assert clicks_today() == {banner.pk: 1}
    tally.flush()
    assert not DailyTally.objects.exists()  # a click is no impression


def test_another_reader_counts_again_and_bots_and_staff_do_not(client, reader_client, editor):
    banner = make_banner()
    reader_client.get(f"/lien-ket/{banner.pk}/")
    client.get(
        f"/lien-ket/{banner.pk}/", HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="14.160.5.5"
    )  # another reader
    client.get(
        f"/lien-ket/{banner.pk}/",
        HTTP_USER_AGENT="Mozilla/5.0 (compatible; Googlebot/2.1)",
        REMOTE_ADDR="66.249.66.1",
    )
    client.force_login(editor)
    staff = client.get(f"/lien-ket/{banner.pk}/", HTTP_USER_AGENT=BROWSER_UA)
    assert staff.status_code == 302
    counting.buffer.flush()
    banner.refresh_from_db()
    assert banner.click_count == 2
    assert clicks_today() == {banner.pk: 2}


@pytest.mark.parametrize(
    "query",
    [
        "?next=https://evil.example/",
        "?url=//evil.example",
        "?redirect=javascript:alert(1)",
        "?next=%2F%2Fevil.example&url=https%3A%2F%2Fevil.example",
    ],
)
def test_no_parameter_can_change_where_a_click_goes(reader_client, query):
    banner = make_banner(url="https://tuyengiao.vn/")
    response = reader_client.get(f"/lien-ket/{banner.pk}/{query}")
    assert response.status_code == 302
    assert response["Location"] == "https://tuyengiao.vn/"


def test_expired_inactive_future_and_unknown_banners_are_404(reader_client):
    now = timezone.now()
    expired = make_banner(end_at=now - timedelta(seconds=1), start_at=now - timedelta(days=3))
    inactive = make_banner(is_active=False)
    future = make_banner(start_at=now + timedelta(days=1))
    for pk in [expired.pk, inactive.pk, future.pk, 987654]:
        response = reader_client.get(f"/lien-ket/{pk}/")
        assert response.status_code == 404
        assert "Liên kết này không tồn tại hoặc đã hết hạn." in response.content.decode()
    assert reader_client.get("/lien-ket/abc/").status_code == 404
    assert reader_client.get("/lien-ket/99999999999999999999999/").status_code == 404
    assert reader_client.post(f"/lien-ket/{make_banner().pk}/").status_code == 405
    counting.buffer.flush()
    assert Banner.objects.filter(click_count__gt=0).count() == 0


# Impressions


def test_each_page_view_tallies_one_impression_per_banner_shown(reader_client):
    shown = make_banner("Hiện")
    hidden = make_banner("Ẩn", is_active=False)
    quick = make_banner("Nhanh", position="quick")
    for _ in range(3):
        reader_client.get("/")
    assert DailyTally.objects.count() == 0  # nothing written while reading
    tally.flush()
    assert tallies(IMPRESSION) == {shown.pk: 3, quick.pk: 3}
    reader_client.get("/")
    tally.flush()  # a second flush adds to the same day's row
    assert tallies(IMPRESSION) == {shown.pk: 4, quick.pk: 4}
    assert hidden.pk not in tallies(IMPRESSION)
    row = DailyTally.objects.get(kind=IMPRESSION, object_id=shown.pk)
    assert row.day == timezone.localdate()


def test_random_one_tallies_only_the_banner_shown(reader_client):
    banner_position("links", mode=BannerPosition.Mode.RANDOM_ONE)
    for i in range(3):
        make_banner(f"Đối tác {i}")
    for _ in range(6):
        reader_client.get("/")
    tally.flush()
    assert sum(tallies(IMPRESSION).values()) == 6


def test_error_pages_and_the_favicon_make_no_impressions(reader_client):
    make_banner("Đối tác")
    response = reader_client.get("/khong-co-trang-nay/")
    assert response.status_code == 404 and "Đối tác" in response.content.decode()
    assert reader_client.get("/favicon.ico").status_code == 404
    tally.flush()
    assert DailyTally.objects.count() == 0


def test_bots_and_staff_make_no_impressions(client, editor):
    make_banner()
    client.get("/", HTTP_USER_AGENT="Mozilla/5.0 (compatible; bingbot/2.0)")
    client.get("/", HTTP_USER_AGENT="")
    client.force_login(editor)
    client.get("/", HTTP_USER_AGENT=BROWSER_UA)
    tally.flush()
    assert DailyTally.objects.count() == 0


# Query counts: three banner positions add no query once the block is cached, one when not.


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("per_position", [1, 12])
def test_three_banner_positions_add_no_query_when_cached(
    reader_client, django_assert_num_queries, per_position
):
    reader_client.get("/")  # warm every cache
    without = _page_queries(reader_client, "/")
    for key in ["links", "quick", "header"]:
        for i in range(per_position):
            make_banner(f"{key} {i}", position=key, order=i)
    # Cold banner cache: one query for all three positions together (and the poll, topic,
    # menu and free blocks', kept per content generation, which the banners' saves replaced).
    with django_assert_num_queries(without + 5):
        html = reader_client.get("/").content.decode()
    assert "links 0" in html and "quick 0" in html and "header" in html
    # Warm: none.
    with django_assert_num_queries(without):
        assert reader_client.get("/").status_code == 200
