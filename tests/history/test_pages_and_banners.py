"""Static pages and banners keep versions too: compared as text, restored as a new version."""

import pytest
from django.urls import reverse
from reversion.models import Version

from banners.models import Banner
from pages.models import Page
from tests.banners.test_banner_admin import form_data as banner_data

pytestmark = pytest.mark.django_db


def versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def page_data(**overrides):
    data = {
        "title": "Giới thiệu", "slug": "gioi-thieu", "body": "<p>Ban Tuyên giáo Tỉnh ủy.</p>",
        "is_published": "on", "show_in_footer": "on", "order": "0",
    }  # fmt: skip
    data.update(overrides)
    return data


def test_a_static_page_is_compared_and_restored(client, editor):
    client.force_login(editor)
    assert client.post("/admin/pages/page/add/", page_data()).status_code == 302
    page = Page.objects.get()
    change = reverse("admin:pages_page_change", args=[page.pk])
    edited = page_data(body="<p>Ban Tuyên giáo Tỉnh ủy Bình Phước.</p>")
    assert client.post(change, edited).status_code == 302
    old, new = versions(page)
    compare = reverse("admin:pages_page_history_compare", args=[page.pk])
    html = client.get(f"{compare}?tu={old.pk}&den={new.pk}").content.decode()
    assert "<del>ủy.</del>" in html and "<ins>ủy Bình Phước.</ins>" in html
    response = client.post(reverse("admin:pages_page_history_restore", args=[page.pk, old.pk]))
    assert response.status_code == 302
    page.refresh_from_db()
    assert page.body == "<p>Ban Tuyên giáo Tỉnh ủy.</p>"
    assert len(versions(page)) == 3


def test_a_banner_is_restored_and_list_edits_are_versions(client, admin_user):
    client.force_login(admin_user)
    assert client.post("/admin/banners/banner/add/", banner_data()).status_code == 302
    banner = Banner.objects.get()
    change = reverse("admin:banners_banner_change", args=[banner.pk])
    assert client.post(change, banner_data(title="Tên sai")).status_code == 302
    first = versions(banner)[0]
    assert (
        client.post(
            reverse("admin:banners_banner_history_restore", args=[banner.pk, first.pk])
        ).status_code
        == 302
    )
    banner.refresh_from_db()
    assert banner.title == "Cổng thông tin điện tử Chính phủ"
    history = client.get(reverse("admin:banners_banner_history", args=[banner.pk])).content.decode()
    assert history.count('data-version="') == 3
