"""The Content-Security-Policy in a real browser: the reader pages and the admin's article
form (with the rich-text editor running) break none of its rules. Chromium reports every
blocked script, style, image or connection as a console error starting "Refused to" and as
a securitypolicyviolation event; both are collected and must stay empty."""

import pytest
from playwright.sync_api import expect

from comments.models import Comment
from news.models import Article
from tests.conftest import make_article, make_category, make_user
from tests.documents.conftest import make_document
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"
WATCH = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__csp.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile + ":" + e.lineNumber);
});
"""


@pytest.fixture(autouse=True)
def _fast_passwords(settings, tmp_path):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


def watched(page):
    refused = []
    page.on(
        "console",
        lambda m: (
            refused.append(m.text)
            if "Content Security Policy" in m.text or m.text.startswith("Refused to")
            else None
        ),
    )
    page.add_init_script(WATCH)
    return refused


def violations(page, refused):
    return refused + page.evaluate("window.__csp || []")


def test_reader_pages_and_the_article_form_respect_the_policy(live_server, desktop, terms):
    make_category("Thời sự")
    article = make_article(
        "Hội nghị tổng kết công tác tuyên giáo",
        body='<p>Đoạn <strong>một</strong>.</p><figure><img src="/static/css/none.png" alt="">'
        "<figcaption>Ảnh</figcaption></figure>",
    )
    document = make_document(terms)
    make_user("quantri", superuser=True, password=PASSWORD)
    comment = Comment.objects.create(
        article=article, name="Bạn đọc", email="a@example.vn", body="Ý kiến\nhai dòng."
    )
    page = desktop
    refused = watched(page)

    for path in ["/", article.get_absolute_url(), "/van-ban/", document.get_absolute_url()]:
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        assert "script-src 'self'" in response.headers["content-security-policy"]
        page.wait_for_load_state("networkidle")
        assert violations(page, refused) == [], path

    # The rating stars post through comments.js (fetch): connect-src 'self'.
    page.goto(live_server.url + article.get_absolute_url())
    page.locator("#danh-gia").scroll_into_view_if_needed()
    assert violations(page, refused) == []

    page.goto(live_server.url + "/admin/login/?next=/admin/")
    page.fill("#id_username", "quantri")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    page.goto(live_server.url + f"/admin/news/article/{article.pk}/change/")
    body = page.locator(".prose-editor [contenteditable=true]")
    expect(body).to_be_visible()
    body.click()
    page.keyboard.press("End")
    page.keyboard.type(" Thêm một câu.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()
    assert "Thêm một câu." in Article.objects.get(pk=article.pk).body
    page.goto(live_server.url + "/admin/news/article/add/")
    expect(page.locator(".prose-editor [contenteditable=true]")).to_be_visible()
    page.wait_for_load_state("networkidle")
    assert violations(page, refused) == []

    # Staff pages that used to carry inline styles: the statistics bars, the report form,
    # the comment moderation list and form.
    for path in [
        "/admin/thong-ke/",
        "/admin/bao-cao/",
        "/admin/comments/comment/",
        f"/admin/comments/comment/{comment.pk}/change/",
    ]:
        assert page.goto(live_server.url + path).status == 200, path
        page.wait_for_load_state("networkidle")
        assert violations(page, refused) == [], path
