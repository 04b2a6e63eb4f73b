"""Readers open a few pages and see "Hôm nay" and "Đang truy cập" go up in the "Thống kê"
block; then an editor opens the dashboard "Thống kê truy cập" from the admin, on a
desktop and on a phone."""

import pytest

from portal import roles
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"


def figure(page, name: str) -> int:
    text = page.locator(f'.stats-block [data-stat="{name}"] strong').inner_text()
    return int(text.replace(",", ""))


def test_readers_raise_the_block_and_staff_see_the_dashboard(
    live_server, phone, desktop, flush_counts, settings
):
    settings.STATS_BLOCK_CACHE_SECONDS = 0  # see each flush at once (production: 30 s)
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    category = make_category("Chính trị")
    article = make_article("Hội nghị tổng kết công tác tuyên giáo năm 2024", category=category)
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)

    phone.goto(live_server.url + "/")
    assert phone.locator(".stats-block h2").text_content() == "Thống kê"
    today, online = figure(phone, "today"), figure(phone, "online")
    assert "Tổng lượt truy cập" in phone.locator(".stats-block").inner_text()

    # The phone's reader and a second reader on a desktop read the article.
    phone.goto(live_server.url + article.get_absolute_url())
    desktop.goto(live_server.url + "/")
    desktop.get_by_role("link", name=article.title).first.click()
    desktop.wait_for_url(f"**{article.get_absolute_url()}")
    flush_counts()

    phone.reload()
    assert figure(phone, "today") == today + 2
    assert figure(phone, "online") == online + 2
    assert figure(phone, "total") >= 2

    # The editor opens the dashboard from the admin index.
    desktop.goto(live_server.url + "/admin/login/?next=/admin/")
    desktop.fill("#id_username", "bientap")
    desktop.fill("#id_password", PASSWORD)
    desktop.locator("input[type=submit]").click()
    desktop.wait_for_url("**/admin/")
    desktop.get_by_role("link", name="Thống kê truy cập").first.click()
    desktop.wait_for_url("**/admin/thong-ke/")
    assert "Thống kê truy cập: 30 ngày qua" in desktop.locator("h1").inner_text()
    assert desktop.locator("svg.chart").count() >= 3
    tops = desktop.locator(".stats-top").filter(has_text="Bài viết (lượt xem)")
    assert article.title in tops.inner_text()
    # Each chart's numbers open as a table.
    chart = desktop.locator(".stats-chart").first
    chart.locator("summary").click()
    assert chart.locator("table tbody tr").count() == 30
    desktop.get_by_role("link", name="Tháng này").click()
    assert "Tháng" in desktop.locator("h1").inner_text()

    # On a phone the page itself does not scroll sideways (wide charts scroll in their box).
    phone.goto(live_server.url + "/admin/login/?next=/admin/thong-ke/")
    phone.fill("#id_username", "bientap")
    phone.fill("#id_password", PASSWORD)
    phone.locator("input[type=submit]").click()
    phone.wait_for_url("**/admin/thong-ke/")
    assert phone.locator("svg.chart").first.is_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 1
