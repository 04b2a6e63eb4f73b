"""Article images open larger in a lightbox (static/js/lightbox.js, under the site's CSP), and
the article reads the same with JavaScript off."""

import pytest

from tests.news.pictured import body_with_image, make_pictured_article, upload_body_image

pytestmark = pytest.mark.django_db(transaction=True)

CAPTION = "Đại biểu cắt băng khánh thành"


@pytest.fixture
def article():
    return make_pictured_article(
        "Khánh thành cầu mới bắc qua sông Bé",
        body=body_with_image(upload_body_image(), CAPTION) + "<p>Đoạn cuối bài.</p>",
    )


def test_a_body_image_opens_larger_and_closes_with_escape(live_server, desktop, article):
    page = desktop
    problems = []
    # A CSP refusal is a console error; a script error, a page error. (The favicon's bare 404
    # is a console error too, and not a problem.)
    page.on("console", lambda m: problems.append(m.text) if "Refused" in m.text else None)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(live_server.url + article.get_absolute_url())
    image = page.locator(".article .body img")
    assert image.get_attribute("loading") == "lazy"
    image.scroll_into_view_if_needed()
    page.wait_for_function("document.querySelector('.article .body img').complete")
    assert page.evaluate("document.querySelector('.article .body img').currentSrc").endswith(
        ".webp"
    )

    image.click()
    dialog = page.get_by_role("dialog", name="Xem ảnh lớn")
    assert dialog.is_visible()
    assert dialog.locator("p").inner_text() == CAPTION
    assert page.evaluate("document.activeElement.textContent") == "Đóng"
    page.keyboard.press("Escape")
    assert not dialog.is_visible()
    # Focus goes back to the image, and the keyboard opens it too.
    assert page.evaluate("document.activeElement.tagName") == "IMG"
    page.keyboard.press("Enter")
    assert dialog.is_visible()
    dialog.get_by_role("button", name="Đóng").click()
    assert not dialog.is_visible()
    assert problems == []  # no CSP refusal, no script error


def test_the_article_reads_the_same_without_javascript(live_server, browser, article):
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server.url + article.get_absolute_url())
    assert page.locator("h1").inner_text() == article.title
    assert page.get_by_text("Đoạn cuối bài.").is_visible()
    featured = page.locator(".featured-image img")
    page.wait_for_function("document.querySelector('.featured-image img').complete")
    # The phone-width WebP copy, chosen by the browser without any script.
    assert featured.evaluate("img => img.currentSrc").endswith("-large-720.webp")
    box = featured.bounding_box()
    assert round(box["width"] / box["height"], 2) == 1.6  # width/height kept the shape
    context.close()
