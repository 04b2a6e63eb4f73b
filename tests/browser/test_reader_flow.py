"""A reader on a phone: home page, an article and its view count, search without diacritics."""

import pytest

from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db(transaction=True)


def test_reader_on_a_phone_reads_an_article_and_finds_it_by_search(
    live_server, phone, flush_counts
):
    category = make_category("Tin tức - Sự kiện")
    make_category("Tin trong tỉnh", parent=category)
    article = make_article(
        "Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2021",
        category=category,
        featured=True,
        author="Tuyết Anh",
        summary="Sáng ngày 10/01/2022, Ban Tuyên giáo Tỉnh ủy tổ chức Hội nghị tổng kết.",
    )
    make_article("Kinh tế tỉnh tăng trưởng 6,32%", category=category)

    phone.goto(live_server.url + "/")
    assert phone.locator("h2", has_text="Tin tiêu điểm").is_visible()
    # A phone-sized window has no horizontal scrolling.
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360

    phone.locator("main").get_by_role("link", name=article.title).first.click()
    phone.wait_for_url(f"**{article.get_absolute_url()}")
    assert phone.locator("h1").inner_text() == article.title
    assert phone.get_by_text("Tác giả:").is_visible()
    assert phone.locator(".views").inner_text() == "0 lượt xem"

    flush_counts()
    phone.reload()
    assert phone.locator(".views").inner_text() == "1 lượt xem"
    flush_counts()
    phone.reload()
    assert phone.locator(".views").inner_text() == "1 lượt xem"  # a reload does not count

    phone.fill("#q-top", "hoi nghi tuyen giao")
    phone.press("#q-top", "Enter")
    phone.wait_for_url("**/tim-kiem/**")
    assert "1 bài viết" in phone.locator(".result-count").inner_text()
    phone.locator("main").get_by_role("link", name=article.title).click()
    assert phone.locator("h1").inner_text() == article.title
