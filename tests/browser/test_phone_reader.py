"""A reader on a 360 px phone: the comment form says everything wrong at once and lets the
browser check what it can; the library opens on the keyword box and the list; the home
page is a few screens with "Văn bản mới" near the top; the site search finds documents
and says what to try when it finds nothing; every tap target is at least 44 px high; tags
never leave a comma alone; on a desktop the submenu is a panel of its own."""

from datetime import timedelta

import pytest
from django.utils import timezone

from news.models import Article, Tag
from tests.conftest import make_article, make_category
from tests.reader_site import ARTICLE_TITLE, make_reader_site

pytestmark = pytest.mark.django_db(transaction=True)

SCREEN = 740  # the phone's viewport height (tests/browser/conftest.py)


@pytest.fixture(autouse=True)
def _site_settings(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.COMMENT_CAPTCHA = False


def box(locator) -> dict:
    found = locator.bounding_box()
    assert found, f"{locator} is not on the page"
    return found


def test_comment_form_marks_what_is_required_and_reports_every_problem_at_once(
    live_server, phone, settings
):
    settings.COMMENT_MIN_SECONDS = 60  # the reader below sends "too quickly"
    paths = make_reader_site()
    page = phone
    page.goto(live_server.url + paths["article"])
    form = page.locator(".comment-form")
    assert "Các ô có dấu * là bắt buộc." in form.inner_text()
    for label in ["Họ và tên *", "Email *", "Ý kiến của bạn *"]:
        assert form.locator("label", has_text=label).is_visible()

    # The browser checks the email before anything is sent: nothing leaves the page.
    page.fill("#id_name", "Trần Thị Bình")
    page.fill("#id_body", "Bài viết rất thiết thực.")
    page.get_by_role("button", name="Gửi ý kiến").click()
    assert page.evaluate("document.querySelector('#id_email').validity.valueMissing")
    page.fill("#id_email", "binh-khong-co-a-cong")
    page.get_by_role("button", name="Gửi ý kiến").click()
    assert page.evaluate("document.querySelector('#id_email').validity.typeMismatch")
    assert page.url == live_server.url + paths["article"]

    # A browser that sends it anyway (or an old one) gets every problem on one page: the
    # timing check and the missing email together, the text kept.
    page.fill("#id_email", "")
    page.evaluate("document.querySelector('.comment-form').noValidate = true")
    page.get_by_role("button", name="Gửi ý kiến").click()
    page.wait_for_selector(".comment-retry")
    summary = page.locator(".error-summary")
    assert summary.is_visible()
    text = summary.inner_text()
    assert "Bạn gửi quá nhanh" in text
    assert "Email: Vui lòng nhập email." in text
    assert box(summary)["y"] < SCREEN  # on the first screen
    assert page.locator("#id_body").input_value().strip() == "Bài viết rất thiết thực."


def test_library_on_a_phone_opens_on_the_keyword_box_and_the_list(live_server, phone):
    make_reader_site()
    page = phone
    page.goto(live_server.url + "/van-ban/")
    assert page.locator("#id_q").is_visible()
    toggle = page.locator("summary", has_text="Lọc thêm")
    assert toggle.is_visible()
    assert not page.locator("#id_type").is_visible()  # the other filters wait behind it
    first = page.locator(".doc-item").first
    assert box(first)["y"] + 40 < SCREEN  # the first document is on the first screen

    toggle.click()
    page.select_option("#id_type", label="Hướng dẫn")
    page.get_by_role("button", name="Lọc văn bản").click()
    page.wait_for_url("**/van-ban/?*type=huong-dan*")
    # A filter is set: the filters stay open, showing it.
    assert page.locator("#id_type").is_visible()
    assert page.locator("#id_type").input_value() == "huong-dan"
    assert "Tìm thấy 1 văn bản" in page.locator(".result-count").inner_text()

    # The keyword alone, from the box's own button: filters closed again.
    page.goto(live_server.url + "/van-ban/")
    page.fill("#id_q", "ke hoach")
    page.get_by_role("button", name="Tìm", exact=True).last.click()
    page.wait_for_url("**/van-ban/?q=ke+hoach*")
    assert "Tìm thấy 1 văn bản" in page.locator(".result-count").inner_text()
    assert not page.locator("#id_type").is_visible()


def test_library_on_a_desktop_shows_every_filter(live_server, desktop):
    make_reader_site()
    desktop.goto(live_server.url + "/van-ban/")
    assert desktop.locator("#id_type").is_visible()
    assert not desktop.locator("summary", has_text="Lọc thêm").is_visible()


def _home_with_full_sections():
    paths = make_reader_site()
    party = make_category("Xây dựng Đảng chuyên mục", order=3)
    for n in range(6):
        make_article(
            f"Tin xây dựng Đảng số {n + 1}",
            category=party,
            publish_at=timezone.now() - timedelta(hours=5 + n),
            summary="Một đoạn tóm tắt khá dài của bài viết, hiện trên máy tính. " * 3,
        )
    return paths


def test_home_on_a_phone_keeps_sections_short_and_documents_near_the_top(live_server, phone):
    _home_with_full_sections()
    page = phone
    page.goto(live_server.url + "/")
    section = page.locator(".cat-section", has_text="Xây dựng Đảng chuyên mục")
    items = section.locator("article.item")
    assert items.count() == 5
    visible = [i for i in range(items.count()) if items.nth(i).is_visible()]
    assert visible == [0, 1, 2]
    assert not section.locator(".summary").first.is_visible()
    more = section.get_by_role("link", name="Xem thêm Xây dựng Đảng chuyên mục ›")
    assert more.is_visible()

    # "Văn bản mới" right after the featured news, before the first category section; the
    # sidebar's copy is not shown a second time.
    documents = page.locator(".block.latest-documents:visible")
    assert documents.count() == 1
    assert "112-HD/BTGTU" in documents.inner_text()
    assert box(documents)["y"] < box(page.locator(".cat-section").first)["y"]
    # The statistics block is reached within a few screens, not twenty.
    assert box(page.locator(".stats-block"))["y"] < 6 * SCREEN


def test_home_on_a_desktop_keeps_five_items_and_the_sidebar(live_server, desktop):
    _home_with_full_sections()
    desktop.goto(live_server.url + "/")
    section = desktop.locator(".cat-section", has_text="Xây dựng Đảng chuyên mục")
    assert section.locator("article.item:visible").count() == 5
    documents = desktop.locator(".block.latest-documents:visible")
    assert documents.count() == 1
    assert box(documents)["x"] > 800  # in the sidebar


def test_search_on_a_phone_finds_documents_and_says_what_to_try_when_nothing(live_server, phone):
    make_reader_site()
    page = phone
    page.goto(live_server.url + "/")
    page.fill("#q-top", "ke hoach")
    page.locator("#q-top").press("Enter")
    page.wait_for_url("**/tim-kiem/?q=ke+hoach")
    documents = page.locator("#van-ban")
    assert documents.locator("h2").inner_text().lower() == "văn bản (1)"
    assert "130-KH/BTGTU Kế hoạch tổ chức Hội thi tuyên truyền viên giỏi" in documents.inner_text()

    page.goto(live_server.url + "/tim-kiem/?q=khong+co+bai+nao")
    main = page.locator("main").inner_text()
    assert "Không tìm thấy kết quả nào cho “khong co bai nao”." in main
    assert "Tìm thấy 0" not in main
    assert "Thử bớt từ" in main
    page.get_by_role("link", name="thư viện văn bản").click()
    page.wait_for_url("**/van-ban/?q=khong%20co%20bai%20nao")
    assert page.locator("#id_q").input_value() == "khong co bai nao"


def _assert_tap_target(locator, name: str, *, height=44, width=24):
    found = box(locator)
    assert found["height"] >= height and found["width"] >= width, (name, found)


def test_tap_targets_are_at_least_44_px_high(live_server, phone):
    paths = make_reader_site()
    page = phone
    page.goto(live_server.url + paths["article"])
    crumbs = page.locator(".crumbs a")
    for i in range(crumbs.count()):
        _assert_tap_target(crumbs.nth(i), f"breadcrumb {i}")
    _assert_tap_target(page.get_by_role("link", name="In bài"), "In bài")
    _assert_tap_target(page.get_by_role("button", name="Gửi ý kiến"), "Gửi ý kiến")
    _assert_tap_target(page.locator(".tags a").first, "tag", height=32)
    _assert_tap_target(page.locator(".site-footer a", has_text="RSS"), "RSS", width=44)
    _assert_tap_target(page.get_by_role("button", name="Tìm", exact=True), "Tìm (header)")

    page.goto(live_server.url + "/van-ban/?type=huong-dan")
    _assert_tap_target(page.get_by_role("button", name="Lọc văn bản"), "Lọc văn bản")
    _assert_tap_target(page.locator("summary", has_text="Lọc thêm"), "Lọc thêm")
    _assert_tap_target(page.get_by_role("link", name="Xóa bộ lọc"), "Xóa bộ lọc")


def test_tags_wrap_whole_with_no_comma_left_alone(live_server, phone):
    make_reader_site()
    article = Article.objects.get(title=ARTICLE_TITLE)
    names = ["Chuyển đổi số", "Khu dân cư", "Nông thôn mới", "Tuyên truyền", "Học tập và làm theo"]
    article.tags.add(*(Tag.objects.create(name=n) for n in names))
    phone.goto(live_server.url + article.get_absolute_url())
    tags = phone.locator(".tags")
    assert "," not in tags.inner_text()
    links = tags.locator("a")
    assert links.count() == 6
    # Each tag is one chip, kept on one line (its height is that of one line).
    for i in range(links.count()):
        assert box(links.nth(i))["height"] < 48, links.nth(i).inner_text()


def test_desktop_submenu_is_a_panel_apart_from_the_menu_bar(live_server, desktop):
    make_reader_site()
    page = desktop
    page.goto(live_server.url + "/")
    parent = page.locator(".menu-bar > ul > li.has-sub").first
    parent.hover()
    submenu = parent.locator("ul")
    assert submenu.is_visible()
    style = submenu.evaluate(
        """e => { const s = getComputedStyle(e), bar = getComputedStyle(e.closest('.menu'));
                  return {bg: s.backgroundColor, bar: bar.backgroundColor,
                          border: s.borderLeftWidth, shadow: s.boxShadow}; }"""
    )
    assert style["bg"] != style["bar"], style
    assert style["border"] != "0px" and style["shadow"] != "none", style
    link = submenu.locator("a").first
    colour = link.evaluate("e => getComputedStyle(e).color")
    assert colour != style["bg"]
