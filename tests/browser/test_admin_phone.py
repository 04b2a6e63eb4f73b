"""Staff pages as staff use them: a moderator on a 360 px phone (comment list as cards, tap
targets of at least 24x24 CSS px, nothing wider than the screen), the reports page on a
phone, the article list on a 1366 px desktop, and the body editor's menu in Vietnamese."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from portal import roles
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"
BODY = (
    "Tôi đồng tình với chủ trương của tỉnh về chuyển đổi số ở khu dân cư, mong sớm có "
    "hướng dẫn cụ thể cho người dân vùng sâu vùng xa."
)
# What a person taps (links inside running text are exempt from the 24 px rule).
TARGETS = (
    "input[type=checkbox]:visible, input[type=radio]:visible, input[type=submit]:visible, "
    "button:visible, #result_list a:visible, .paginator a:visible, #changelist-filter a:visible, "
    ".object-tools a:visible"
)


def log_in(page, url, username):
    page.goto(url + "/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def too_small(page) -> list[str]:
    return page.eval_on_selector_all(
        TARGETS,
        """els => els.map(e => [e, e.getBoundingClientRect()])
            .filter(([e, r]) => r.width > 0 && (r.width < 23.5 || r.height < 23.5))
            .map(([e, r]) => `${e.tagName} ${e.name || e.textContent.trim().slice(0, 20)} ${Math.round(r.width)}x${Math.round(r.height)}`)""",
    )


def fits_the_screen(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_a_moderator_reads_and_taps_the_comment_list_on_a_phone(live_server, phone):
    article = make_article(category=make_category("Thời sự"))
    for i in range(3):
        Comment.objects.create(article=article, name=f"Bạn đọc {i}", body=BODY)
    make_user("kiemduyet", group=roles.MODERATOR, password=PASSWORD)
    page = phone
    log_in(page, live_server.url, "kiemduyet")
    page.goto(live_server.url + "/admin/comments/comment/")

    row = page.locator("#result_list tbody tr").first
    excerpt = row.locator("td.field-excerpt, th.field-excerpt")
    # The text reads in lines across the card, not one word per line.
    assert excerpt.bounding_box()["width"] > 250
    status = row.locator(".field-status_label")
    expect(status).to_be_visible()
    box = status.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    assert fits_the_screen(page)
    assert too_small(page) == []


def test_the_reports_page_on_a_phone_has_big_enough_choices(live_server, phone):
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    page = phone
    log_in(page, live_server.url, "bientap")
    page.goto(live_server.url + "/admin/bao-cao/")
    expect(page.get_by_role("button", name="Tải báo cáo")).to_be_visible()
    assert too_small(page) == []
    assert fits_the_screen(page)


def test_the_article_form_fits_a_phone_and_its_editor_speaks_vietnamese(live_server, phone):
    make_category("Thời sự")
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    page = phone
    log_in(page, live_server.url, "bientap")
    page.goto(live_server.url + "/admin/news/article/add/")
    upload = page.locator(".body-image-upload")
    expect(upload).to_be_visible()
    box = upload.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360  # not clipped
    menubar = page.locator(".prose-menubar").first
    expect(menubar.locator("button").first).to_be_visible()
    titles = menubar.evaluate(
        "m => [...m.querySelectorAll('[title]')].filter(e => !e.hidden).map(e => e.title)"
    )
    assert "Chữ đậm" in titles and "Đoạn văn" in titles
    english = {"bold", "italic", "paragraph", "figure", "undo", "redo", "heading 2"}
    assert english.isdisjoint(titles)
    # The URL figure dialog is not offered: images come through the upload box.
    assert menubar.locator("button[title=figure]:visible").count() == 0
    text = page.locator(".prose-editor").first.evaluate("e => e.textContent")
    assert "Heading" not in text and "Paragraph" not in text


def test_the_article_list_on_a_desktop_keeps_titles_readable(live_server, desktop):
    category = make_category("Thời sự")
    make_article(
        "Ban Thường vụ Tỉnh ủy quán triệt, triển khai thực hiện Nghị quyết Hội nghị lần "
        "thứ mười Ban Chấp hành Trung ương Đảng khóa XIII",
        category=category,
    )
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    page = desktop
    log_in(page, live_server.url, "bientap")
    page.goto(live_server.url + "/admin/news/article/")
    title = page.locator("#result_list .field-title").first
    # A long title in a few lines, not eight: the column takes the room there is.
    lines = title.locator("a").first.evaluate("a => a.getClientRects().length")
    assert lines <= 4
    views = page.locator("#result_list thead th.column-views")
    box = views.bounding_box()
    assert box["x"] + box["width"] <= 1366
    assert too_small(page) == []
