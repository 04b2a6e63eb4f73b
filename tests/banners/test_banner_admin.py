"""Banners in the admin: hostile addresses refused, images checked and resized once, the
banner report."""

import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone
from PIL import Image

from banners.clickthrough import banner_daily, banner_report
from banners.models import CLICK, IMPRESSION, Banner
from stats import counting
from stats.models import Bucket, ObjectViews
from stats.periods import month_end
from stats.services import stats_rebuild_months
from tests.banners.conftest import banner_position, image_upload, make_banner
from tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db

ADD_URL = "/admin/banners/banner/add/"


def form_data(**overrides):
    now = timezone.localtime()
    data = {
        "title": "Cổng thông tin điện tử Chính phủ",
        "url": "https://chinhphu.vn/",
        "position": banner_position("links").pk,
        "order": "1",
        "start_at_0": now.strftime("%Y-%m-%d"),
        "start_at_1": now.strftime("%H:%M:%S"),
        "end_at_0": "",
        "end_at_1": "",
        "is_active": "on",
    }
    data.update(overrides)
    return data


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def test_admin_adds_a_text_banner(admin_client):
    response = admin_client.post(ADD_URL, form_data())
    assert response.status_code == 302, response.content.decode()[:2000]
    banner = Banner.objects.get()
    assert banner.url == "https://chinhphu.vn/"
    assert banner.title == "Cổng thông tin điện tử Chính phủ"
    assert not banner.image


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("javascript:alert(1)", "Chỉ nhận địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://."),
        ("JaVaScRiPt:alert(1)//https://x.vn", "Chỉ nhận địa chỉ đầy đủ bắt đầu bằng http://"),
        ("//evil.example", "Chỉ nhận địa chỉ đầy đủ bắt đầu bằng http://"),
        ("evil.example", "Chỉ nhận địa chỉ đầy đủ bắt đầu bằng http://"),
        ("data:text/html,<script>alert(1)</script>", "Chỉ nhận địa chỉ đầy đủ"),
        ("ftp://files.example/", "Chỉ nhận địa chỉ đầy đủ"),
        ("https://user:pass@evil.example/", "không được chứa tên đăng nhập hoặc mật khẩu"),
        ("https://chinhphu.vn@evil.example/", "không được chứa tên đăng nhập hoặc mật khẩu"),
        ("https:///evil.example", "Địa chỉ thiếu tên miền."),
        ("https://evil.example\\@chinhphu.vn", "không được chứa khoảng trắng"),
        ("https://chinh phu.vn/", "không được chứa khoảng trắng"),
        ("https://", "Địa chỉ thiếu tên miền."),
    ],
)
def test_hostile_banner_urls_are_refused(admin_client, url, message):
    response = admin_client.post(ADD_URL, form_data(url=url))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Banner.objects.exists()


def test_end_before_start_is_refused(admin_client):
    now = timezone.localtime()
    earlier = now - timedelta(days=1)
    response = admin_client.post(
        ADD_URL,
        form_data(end_at_0=earlier.strftime("%Y-%m-%d"), end_at_1=earlier.strftime("%H:%M:%S")),
    )
    assert response.status_code == 200
    assert "Thời điểm kết thúc phải sau thời điểm bắt đầu." in response.content.decode()
    assert not Banner.objects.exists()


def test_banner_image_is_checked_and_resized_once(admin_client):
    response = admin_client.post(ADD_URL, {**form_data(), "image": image_upload(size=(1600, 400))})
    assert response.status_code == 302
    banner = Banner.objects.get()
    assert (banner.width, banner.height) == (640, 160)
    assert banner.image.name.startswith("banners/") and banner.image.name.endswith(".jpg")
    with Image.open(banner.image.path) as img:
        assert img.size == (640, 160)
    # Saving again without a new image keeps the file as it is.
    name = banner.image.name
    change = f"/admin/banners/banner/{banner.pk}/change/"
    assert admin_client.post(change, form_data(title="Tên khác")).status_code == 302
    banner.refresh_from_db()
    assert banner.image.name == name and banner.title == "Tên khác"


def test_header_banner_keeps_a_wider_image(admin_client):
    data = {
        **form_data(position=banner_position("header").pk),
        "image": image_upload(size=(2000, 300)),
    }
    assert admin_client.post(ADD_URL, data).status_code == 302
    assert Banner.objects.get().width == 1600


def bmp_upload():
    out = io.BytesIO()
    Image.new("RGB", (40, 20)).save(out, "BMP")
    return SimpleUploadedFile("anh.bmp", out.getvalue(), content_type="image/bmp")


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("x.png", b"not an image", content_type="image/png"),
            "không phải là hình ảnh",
        ),
        (bmp_upload(), "Định dạng ảnh BMP không được nhận."),
        (
            SimpleUploadedFile(
                "big.png", b"\x89PNG" + b"0" * (5 * 1024 * 1024 + 10), content_type="image/png"
            ),
            "tối đa 5 MB",
        ),
    ],
)
def test_bad_banner_images_are_refused(admin_client, upload, message):
    response = admin_client.post(ADD_URL, {**form_data(), "image": upload})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Banner.objects.exists()


def test_deactivate_action_hides_banners_at_once(admin_client):
    banner = make_banner("Sắp tắt")
    reader = Client()
    assert "Sắp tắt" in reader.get("/").content.decode()
    response = admin_client.post(
        "/admin/banners/banner/", {"action": "deactivate", "_selected_action": [banner.pk]}
    )
    assert response.status_code == 302
    assert "Sắp tắt" not in reader.get("/").content.decode()


def test_changelist_queries_do_not_grow_with_banners(admin_client, django_assert_max_num_queries):
    for i in range(3):
        make_banner(f"Banner {i}", order=i)
    admin_client.get("/admin/banners/banner/")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        assert admin_client.get("/admin/banners/banner/").status_code == 200
    for i in range(30):
        make_banner(f"Banner thêm {i}", order=i)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert admin_client.get("/admin/banners/banner/").status_code == 200


# The report


def add(kind, banner, n, day):
    # Kept by stats, per day and (rebuilt from the days) per month.
    ObjectViews.objects.create(bucket=Bucket.DAY, kind=kind, object_id=banner.pk, day=day, n=n)
    stats_rebuild_months(first=day, last=day)


def test_banner_report_sums_a_period(db):
    today = timezone.localdate()
    a = make_banner("Báo Bình Phước", order=1)
    b = make_banner("Tạp chí Tuyên giáo", order=2)
    c = make_banner("Chưa ai thấy", order=3)
    add(IMPRESSION, a, 1000, today)
    add(IMPRESSION, a, 500, today - timedelta(days=3))
    add(IMPRESSION, a, 9999, today - timedelta(days=40))  # outside the period
    add(CLICK, a, 30, today)
    add(CLICK, a, 5, today - timedelta(days=40))  # outside the period
    add(CLICK, b, 2, today - timedelta(days=3))
    add(IMPRESSION, b, 200, today - timedelta(days=1))
    rows = {r.title: r for r in banner_report(start=today - timedelta(days=29), end=today)}
    assert (rows["Báo Bình Phước"].impressions, rows["Báo Bình Phước"].clicks) == (1500, 30)
    assert rows["Báo Bình Phước"].ctr == 2.0
    assert (rows["Tạp chí Tuyên giáo"].impressions, rows["Tạp chí Tuyên giáo"].clicks) == (200, 2)
    assert rows["Tạp chí Tuyên giáo"].ctr == 1.0
    assert rows["Chưa ai thấy"].ctr is None
    assert c.pk
    daily = banner_daily(start=today - timedelta(days=3), end=today)
    assert daily == [
        (today - timedelta(days=3), 500, 2),
        (today - timedelta(days=1), 200, 0),
        (today, 1000, 30),
    ]
    # A whole month is read from stats' monthly rows.
    first = (today - timedelta(days=40)).replace(day=1)
    month = banner_report(start=first, end=month_end(first))
    assert [(r.title, r.impressions, r.clicks) for r in month][0] == ("Báo Bình Phước", 9999, 5)


def test_report_query_count_does_not_grow_with_banners(db, django_assert_num_queries):
    today = timezone.localdate()
    for i in range(20):
        add(IMPRESSION, make_banner(f"B{i}"), 10, today)
    with django_assert_num_queries(1):
        assert len(banner_report(start=today, end=today)) == 20


def test_admin_report_page_shows_impressions_clicks_and_rate(admin_client):
    banner = make_banner("Báo Bình Phước")
    reader_client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    for _ in range(4):
        reader_client.get("/")
    reader_client.get(f"/lien-ket/{banner.pk}/")
    counting.buffer.flush()
    banner.refresh_from_db()
    assert banner.click_count == 1  # the report's click is the banner's counted one
    response = admin_client.get("/admin/banners/banner/bao-cao/")
    assert response.status_code == 200
    html = response.content.decode()
    row = html[html.index("Báo Bình Phước") :]
    row = row[: row.index("</tr>")]
    assert "<td>4</td><td>1</td><td>25,00%</td>" in row
    assert (
        "/admin/banners/banner/bao-cao/"
        in admin_client.get("/admin/banners/banner/").content.decode()
    )


def test_report_period_errors_are_400_with_a_message(admin_client):
    bad = admin_client.get(
        "/admin/banners/banner/bao-cao/", {"start": "2026-05-10", "end": "2026-05-01"}
    )
    assert bad.status_code == 400
    assert "Ngày kết thúc phải sau hoặc bằng ngày bắt đầu." in bad.content.decode()
    garbage = admin_client.get("/admin/banners/banner/bao-cao/", {"start": "abc", "end": ""})
    assert garbage.status_code == 400


def test_report_is_for_staff_with_permission_only(client, reporter):
    assert client.get("/admin/banners/banner/bao-cao/").status_code == 302  # to the login
    client.force_login(reporter)
    assert client.get("/admin/banners/banner/bao-cao/").status_code == 403


# Who may edit banners


def test_editors_manage_banners_and_pages_and_reporters_do_not(client, editor, reporter):
    make_banner("Báo Bình Phước")
    client.force_login(editor)
    changelist = client.get("/admin/banners/banner/")
    assert changelist.status_code == 200 and "Báo Bình Phước" in changelist.content.decode()
    assert client.post(ADD_URL, form_data(title="Tạp chí Tuyên giáo")).status_code == 302
    assert Banner.objects.filter(title="Tạp chí Tuyên giáo").exists()
    for url in ["/admin/banners/banner/bao-cao/", "/admin/banners/bannerposition/",
                "/admin/pages/page/", "/admin/pages/page/add/"]:  # fmt: skip
        assert client.get(url).status_code == 200, url
    # Deleting banners and the site settings stay with the administrators.
    banner = Banner.objects.get(title="Báo Bình Phước")
    assert client.get(f"/admin/banners/banner/{banner.pk}/delete/").status_code == 403
    assert client.get("/admin/pages/sitesettings/").status_code == 403

    client.force_login(reporter)
    assert client.get("/admin/banners/banner/").status_code == 403
    assert client.get("/admin/pages/page/").status_code == 403
