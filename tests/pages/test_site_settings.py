"""Site settings and static pages: edited in the admin, shown at once, no query per page."""

import pytest
from django.db import DatabaseError, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pages import services, site
from pages.models import Page, SiteSettings
from stats import blocks, counting
from stats.models import Baseline
from tests.conftest import BROWSER_UA

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


def settings_form(**overrides):
    data = {
        "site_name": "Ban Tuyên giáo Tỉnh ủy Bình Phước",
        "slogan": "Trang thông tin điện tử",
        "address": "Số 1 Trần Hưng Đạo, phường Tân Phú, TP. Đồng Xoài",
        "phone": "0271 3879 123",
        "email": "bantuyengiao@binhphuoc.gov.vn",
        "responsible": "Trưởng Ban Tuyên giáo Tỉnh ủy",
        "licence": "Giấy phép số 05/GP-TTĐT do Sở Thông tin và Truyền thông cấp",
        "footer_note": "",
        "facebook_url": "https://www.facebook.com/btgbinhphuoc",
        "youtube_url": "",
        "zalo_url": "",
        "tiktok_url": "",
        "comment_moderation": "guests",
        "visits_offset": "8.692.052",  # as people write it; "8692052" reads too
        "pageviews_offset": "12000000",
    }
    data.update(overrides)
    return data


def test_without_a_record_the_defaults_come_from_settings(client, settings):
    site.invalidate()
    html = client.get("/").content.decode()
    assert settings.PORTAL_SITE_NAME in html
    assert site.get_settings().comment_moderation == "all"
    assert site.stats_offsets() == (0, 0)


def test_settings_list_goes_to_the_one_record(admin_client):
    response = admin_client.get("/admin/pages/sitesettings/")
    assert response.status_code == 302 and response["Location"].endswith("/sitesettings/add/")
    assert admin_client.post("/admin/pages/sitesettings/add/", settings_form()).status_code == 302
    record = SiteSettings.objects.get()
    assert record.pk == 1
    response = admin_client.get("/admin/pages/sitesettings/")
    assert response["Location"].endswith("/sitesettings/1/change/")
    # No second record, and the one record cannot be deleted.
    assert admin_client.get("/admin/pages/sitesettings/add/").status_code == 403
    assert admin_client.get("/admin/pages/sitesettings/1/delete/").status_code == 403


def test_a_change_in_the_admin_shows_on_the_next_page(admin_client, client):
    client.get("/")  # cache the defaults
    admin_client.post("/admin/pages/sitesettings/add/", settings_form())
    html = client.get("/").content.decode()
    footer = html[html.index('<footer class="site-footer">') :]
    assert "Trang thông tin điện tử" in html
    assert "Địa chỉ: Số 1 Trần Hưng Đạo, phường Tân Phú, TP. Đồng Xoài" in footer
    assert "Điện thoại: 0271 3879 123" in footer
    assert 'href="mailto:bantuyengiao@binhphuoc.gov.vn"' in footer
    assert "Chịu trách nhiệm nội dung: Trưởng Ban Tuyên giáo Tỉnh ủy" in footer
    assert "Giấy phép số 05/GP-TTĐT" in footer
    assert 'href="https://www.facebook.com/btgbinhphuoc"' in footer
    admin_client.post("/admin/pages/sitesettings/1/change/", settings_form(slogan="Khẩu hiệu mới"))
    assert "Khẩu hiệu mới" in client.get("/").content.decode()


def test_get_settings_exposes_moderation_and_offsets(admin_client):
    admin_client.post("/admin/pages/sitesettings/add/", settings_form())
    assert site.comment_moderation() == SiteSettings.Moderation.GUESTS
    assert site.stats_offsets() == (8692052, 12000000)


def stat(html: str, name: str) -> str:
    """A figure of the sidebar's "Thống kê" block."""
    block = html[html.index('<section class="block stats-block"') :]
    start = block.index(f'data-stat="{name}"')
    return block[block.index("<strong>", start) + 8 : block.index("</strong>", start)]


def test_old_site_total_set_in_the_settings_continues_in_the_statistics_block(admin_client):
    for i in range(3):
        Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"203.113.7.{i}").get("/")
    counting.buffer.flush()
    blocks.invalidate()  # the first page cached the block before the flush
    reader = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.7.99")
    assert stat(reader.get("/").content.decode(), "total") == "3"  # and now cached
    form = admin_client.get("/admin/pages/sitesettings/add/").content.decode()
    assert "Lượt truy cập từ trang cũ" in form

    response = admin_client.post("/admin/pages/sitesettings/add/", settings_form())
    assert response.status_code == 302
    # Kept by stats, in the row the block and set_stats_baseline use.
    baseline = Baseline.objects.get()
    assert (baseline.visits, baseline.page_views) == (8_692_052, 12_000_000)
    assert stat(reader.get("/").content.decode(), "total") == "8.692.055"
    # The settings page shows the figures stats keeps, whoever set them.
    baseline.visits = 9_000_000
    baseline.save()
    html = admin_client.get("/admin/pages/sitesettings/1/change/").content.decode()
    assert 'name="visits_offset" value="9.000.000"' in html
    assert stat(reader.get("/").content.decode(), "total") == "9.000.003"


def test_settings_and_old_site_totals_are_saved_together(db, monkeypatch):
    record = SiteSettings.objects.create(site_name="Tên cũ")

    def broken(**kwargs):
        raise DatabaseError("stats is down")

    monkeypatch.setattr(services, "stats_set_baseline", broken)
    record.site_name = "Tên mới"
    with pytest.raises(DatabaseError):
        services.site_settings_save(record=record, visits_offset=1, pageviews_offset=2)
    assert SiteSettings.objects.get().site_name == "Tên cũ"


def test_negative_or_huge_old_site_totals_are_refused(admin_client):
    for value in ["-1", str(2**63)]:
        response = admin_client.post(
            "/admin/pages/sitesettings/add/", settings_form(pageviews_offset=value)
        )
        assert response.status_code == 200
        assert "Đảm bảo giá trị này" in response.content.decode()
    assert not SiteSettings.objects.exists() and not Baseline.objects.exists()


def test_cached_settings_cost_no_query(db, django_assert_num_queries):
    SiteSettings.objects.create(site_name="Tên trang")
    site.load()
    with django_assert_num_queries(0):
        assert site.get_settings().site_name == "Tên trang"
        assert site.load().footer_pages == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("facebook_url", "javascript:alert(1)", "Chỉ nhận địa chỉ đầy đủ"),
        ("youtube_url", "//evil.example", "Chỉ nhận địa chỉ đầy đủ"),
        ("visits_offset", "nhiều", "Nhập một số tổng thể."),
        ("email", "khong-phai-email", "Nhập địa chỉ email."),
    ],
)
def test_bad_settings_are_refused_with_a_message(admin_client, field, value, message):
    response = admin_client.post("/admin/pages/sitesettings/add/", settings_form(**{field: value}))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not SiteSettings.objects.exists()


def test_settings_admin_pages_load(admin_client):
    admin_client.post("/admin/pages/sitesettings/add/", settings_form())
    assert admin_client.get("/admin/pages/sitesettings/1/change/").status_code == 200


# Static pages


def test_static_page_reads_like_an_article_and_is_linked_from_the_footer(client):
    page = Page.objects.create(
        title="Giới thiệu", body="<h2>Chức năng</h2><p>Ban Tuyên giáo là cơ quan tham mưu.</p>"
    )
    Page.objects.create(title="Liên hệ", order=1)
    Page.objects.create(title="Không ở chân trang", show_in_footer=False)
    assert page.get_absolute_url() == "/trang/gioi-thieu/"
    html = client.get("/trang/gioi-thieu/").content.decode()
    assert "<h2>Chức năng</h2>" in html and "cơ quan tham mưu" in html
    footer = html[html.index('<footer class="site-footer">') :]
    assert footer.index('href="/trang/gioi-thieu/"') < footer.index('href="/trang/lien-he/"')
    assert "Không ở chân trang" not in footer


def test_static_page_body_is_sanitised(db):
    page = Page.objects.create(
        title="Liên hệ",
        body='<p onclick="x()">Gọi</p><script>alert(1)</script><a href="javascript:x()">a</a>',
    )
    assert (
        "script" not in page.body and "onclick" not in page.body and "javascript" not in page.body
    )


def test_hidden_page_is_404_to_readers_and_previewable_by_staff(client, editor):
    Page.objects.create(title="Đang soạn", is_published=False)
    response = client.get("/trang/dang-soan/")
    assert response.status_code == 404
    assert "Trang này không tồn tại hoặc đã được gỡ bỏ." in response.content.decode()
    assert client.get("/trang/khong-co/").status_code == 404
    client.force_login(editor)
    html = client.get("/trang/dang-soan/").content.decode()
    assert "Trang này đang ẩn" in html


def test_static_page_queries_do_not_grow_with_pages(client, django_assert_num_queries):
    Page.objects.create(title="Giới thiệu")
    client.get("/trang/gioi-thieu/")  # warm the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get("/trang/gioi-thieu/").status_code == 200
    # Of this page's own queries, one reads the page; settings and footer links are cached.
    expected = len(few.captured_queries)
    own = [q["sql"] for q in few.captured_queries if "pages_" in q["sql"]]
    assert len(own) == 1 and "pages_page" in own[0]
    for i in range(15):
        Page.objects.create(title=f"Trang {i}")
    client.get("/trang/gioi-thieu/")  # the footer cache was invalidated
    with django_assert_num_queries(expected):
        assert client.get("/trang/gioi-thieu/").status_code == 200


def test_footer_link_changes_show_at_once(client):
    page = Page.objects.create(title="Giới thiệu")
    assert 'href="/trang/gioi-thieu/"' in client.get("/").content.decode()
    page.show_in_footer = False
    page.save()
    assert 'href="/trang/gioi-thieu/"' not in client.get("/").content.decode()


def test_favicon_follows_the_settings(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 404 and response.content == b""
    SiteSettings.objects.create(site_name="Tên trang", favicon="site/icon.png")
    response = client.get("/favicon.ico")
    assert response.status_code == 302 and response["Location"] == "/media/site/icon.png"
    assert '<link rel="icon" href="/media/site/icon.png">' in client.get("/").content.decode()
