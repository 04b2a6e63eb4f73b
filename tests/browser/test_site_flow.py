"""Site blocks and staff sessions in a real browser: a "Liên kết" banner is clicked
through to its target and counted; the keep-alive notice appears and really extends the
session; an editor whose session expired gets the typed draft back after logging in."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.sessions.models import Session
from playwright.sync_api import expect

from news.models import Article
from pages.models import Page
from portal import roles
from tests.banners.conftest import impressions, make_banner
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"
TYPED_TITLE = "Hội nghị sơ kết công tác tuyên giáo 6 tháng đầu năm"
TYPED_BODY = "Đoạn văn bản đang soạn dở, chưa kịp lưu."


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def log_in(page, live_server, next_url):
    page.goto(f"{live_server.url}/admin/login/?next={next_url}")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.wait_for_url(f"**{next_url}")


def session_expiry(page):
    key = next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")
    return Session.objects.get(session_key=key).expire_date


def test_banner_block_click_lands_on_the_target_and_counts(live_server, desktop, flush_counts):
    target = Page.objects.create(title="Giới thiệu", body="<p>Ban Tuyên giáo Tỉnh ủy.</p>")
    banner = make_banner(
        "Trang giới thiệu của Ban", url=live_server.url + target.get_absolute_url()
    )
    desktop.goto(live_server.url + "/")
    block = desktop.locator('.sidebar [data-position="links"]')
    expect(block.get_by_role("heading")).to_have_text("Liên kết")
    link = block.get_by_role("link", name="Trang giới thiệu của Ban")
    expect(link).to_be_visible()

    with desktop.context.expect_page() as opened:
        link.click()
    landed = opened.value
    landed.wait_for_load_state()
    assert landed.url == live_server.url + "/trang/gioi-thieu/"
    expect(landed.locator("h1")).to_have_text("Giới thiệu")

    flush_counts()
    banner.refresh_from_db()
    assert banner.click_count == 1
    # Shown on the home page and again in the target page's sidebar.
    assert impressions() == {banner.pk: 2}


def test_session_notice_appears_and_its_click_extends_the_session(live_server, desktop, settings):
    settings.SESSION_COOKIE_AGE = 64  # the notice comes 60 seconds before: after ~4 s
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    log_in(desktop, live_server, "/")
    notice = desktop.locator("#session-notice")
    expect(notice).to_be_hidden()
    before = session_expiry(desktop)

    keep = notice.locator("[data-keepalive]")
    expect(keep).to_be_visible(timeout=15000)
    expect(keep).to_contain_text(
        "Bạn đã không sử dụng Site, Bấm vào đây để duy trì trạng thái đăng nhập. Thời gian chờ:"
    )
    seconds = int(keep.locator("[data-countdown]").inner_text())
    assert 50 <= seconds <= 60
    desktop.wait_for_timeout(2100)
    assert int(keep.locator("[data-countdown]").inner_text()) < seconds  # it counts down

    keep.click()
    expect(notice).to_be_hidden()
    # Extended on the server, not only in the page.
    assert session_expiry(desktop) >= before + timedelta(seconds=3)
    status = desktop.request.get(live_server.url + "/phien-dang-nhap/").json()
    assert status["authenticated"] is True and status["remaining"] > 60


def test_expired_editor_is_told_and_gets_the_draft_back_after_logging_in(
    live_server, desktop, settings
):
    # Typing counts as use: the session is extended once silently, then left to expire.
    settings.SESSION_COOKIE_AGE = 6
    settings.SESSION_WARNING_SECONDS = 3
    make_category("Thời sự")
    article = make_article("Bài viết cũ", status=Article.Status.DRAFT)
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    change_url = f"/admin/news/article/{article.pk}/change/"
    log_in(desktop, live_server, change_url)

    desktop.fill("#id_title", TYPED_TITLE)
    body = desktop.locator(".prose-editor [contenteditable=true]")
    body.click()
    desktop.keyboard.press("Control+End")
    desktop.keyboard.type(" " + TYPED_BODY)

    # Left alone: the notice, then the end of the session, which the page states.
    notice = desktop.locator("#session-notice")
    expect(notice.locator("[data-keepalive]")).to_be_visible(timeout=20000)
    expired = notice.locator("[data-expired]")
    expect(expired).to_be_visible(timeout=15000)
    expect(expired).to_contain_text("Phiên đăng nhập đã hết hạn")
    # Logged out on the server too.
    assert desktop.request.get(live_server.url + "/phien-dang-nhap/").status == 401
    assert desktop.request.get(live_server.url + change_url).url.startswith(
        live_server.url + "/admin/login/"
    )

    drafts = desktop.evaluate(
        "Object.keys(localStorage).filter(k => k.startsWith('portal-draft:'))"
        ".map(k => localStorage.getItem(k))"
    )
    assert len(drafts) == 1 and TYPED_TITLE in drafts[0] and TYPED_BODY in drafts[0]

    # Log in again from the notice: the form offers the draft back.
    expired.get_by_role("link", name="Đăng nhập lại").click()
    desktop.fill("#id_username", "bientap")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("input[type=submit]")
    desktop.wait_for_url(f"**{change_url}")
    expect(desktop.locator("#id_title")).to_have_value("Bài viết cũ")
    desktop.get_by_role("button", name="Khôi phục bản nháp").click()
    expect(desktop.locator("#id_title")).to_have_value(TYPED_TITLE)
    expect(body).to_contain_text(TYPED_BODY)

    desktop.click("input[name=_save]")
    expect(desktop.locator(".messagelist .success")).to_be_visible()
    article.refresh_from_db()
    assert article.title == TYPED_TITLE
    assert TYPED_BODY in article.body
    # Saved: the draft is gone.
    keys = desktop.evaluate("Object.keys(localStorage)")
    assert not [k for k in keys if k.startswith("portal-draft:")]


def test_a_form_submitted_after_expiry_is_not_lost(live_server, desktop):
    make_category("Thời sự")
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    add_url = "/admin/pages/page/add/"
    # Static pages are not an editor's by default: grant them for this test.
    User.objects.get(username="bientap").user_permissions.add(
        *Permission.objects.filter(codename__in=["add_page", "view_page", "change_page"])
    )
    log_in(desktop, live_server, add_url)
    desktop.fill("#id_title", "Liên hệ")
    desktop.locator(".prose-editor [contenteditable=true]").click()
    desktop.keyboard.type(TYPED_BODY)
    Session.objects.all().delete()  # the session ends while the editor is typing

    desktop.click("input[name=_save]")  # the post is refused: to the login page
    desktop.wait_for_url("**/admin/login/**")
    assert not Page.objects.exists()
    desktop.fill("#id_username", "bientap")
    desktop.fill("#id_password", PASSWORD)
    desktop.click("input[type=submit]")
    desktop.wait_for_url(f"**{add_url}")
    desktop.get_by_role("button", name="Khôi phục bản nháp").click()
    expect(desktop.locator("#id_title")).to_have_value("Liên hệ")
    desktop.click("input[name=_save]")
    expect(desktop.locator(".messagelist .success")).to_be_visible()
    assert TYPED_BODY in Page.objects.get(title="Liên hệ").body
