"""What `make run` shows a first-time visitor besides the articles: the footer, the favicon,
the "Liên kết" and quick-link banners with their images, and "Tổng lượt truy cập" going on
from the old site's figure, as on the reference page."""

import re

import pytest
from django.core.management import call_command
from django.test import Client
from PIL import Image

from banners.models import Banner
from pages.models import SiteSettings
from tests.conftest import BROWSER_UA, make_article

pytestmark = pytest.mark.django_db


def test_the_demo_site_looks_like_the_reference_page(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    make_article()
    call_command("load_demo_site", verbosity=0)
    call_command("load_demo_banners", verbosity=0)
    reader = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.9.9")
    html = reader.get("/").content.decode()

    for text in ["Địa chỉ: Số 1 đường Trần Hưng Đạo", "Điện thoại: 0271 3879 123",
                 "Chịu trách nhiệm nội dung: Trưởng Ban Tuyên giáo Tỉnh ủy",
                 "Giấy phép số 01/GP-TTĐT"]:  # fmt: skip
        assert text in html
    assert re.search(r'data-stat="total">Tổng lượt truy cập: <strong>8\.692\.\d{3}</strong>', html)
    assert "Liên kết" in html
    for banner in Banner.objects.all():
        assert f'alt="{banner.title}"' in html
        with Image.open(banner.image.path) as image:  # a real picture of its size
            assert image.size == (banner.width, banner.height) and banner.width > 0
    assert Banner.objects.filter(position="links").count() == 7
    assert Banner.objects.filter(position="quick").count() == 7

    favicon = SiteSettings.objects.get().favicon
    icon = reader.get("/favicon.ico")  # browsers ask on their own: no 404 on every page
    assert (icon.status_code, icon["Location"]) == (302, favicon.url)
    assert f'<link rel="icon" href="{favicon.url}">' in html
    with Image.open(favicon.path) as image:
        assert image.size == (64, 64)


def test_the_demo_never_overwrites_what_the_site_has(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    SiteSettings.objects.create(site_name="Tên thật", address="Địa chỉ thật")
    call_command("load_demo_site", verbosity=0)
    call_command("load_demo_banners", verbosity=0)
    call_command("load_demo_banners", verbosity=0)  # a second make run
    assert SiteSettings.objects.get().address == "Địa chỉ thật"
    assert Banner.objects.count() == 14
