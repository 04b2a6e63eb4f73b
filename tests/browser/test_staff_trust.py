"""Staff trust in a real browser: "Lịch sử" with a readable comparison and restore; two
editors racing to save one article without losing either text; two-step login enrolled by
QR code and used with a TOTP code computed here."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import expect
from reversion.models import Version

from locks.models import EditLock
from news.models import Article
from portal import roles
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"


def log_in(page, base_url, username):
    page.goto(base_url + "/admin/login/?next=/admin/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def new_desktop(browser):
    context = browser.new_context(
        viewport={"width": 1366, "height": 900}, locale="vi-VN", timezone_id="Asia/Ho_Chi_Minh"
    )
    context.set_default_timeout(15000)
    return context


def test_history_compare_and_restore(live_server, desktop):
    make_category("Thời sự")
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    article = make_article("Tỉnh ủy triển khai nghị quyết", status=Article.Status.DRAFT)
    page = desktop
    log_in(page, live_server.url, "bientap")
    change = f"{live_server.url}/admin/news/article/{article.pk}/change/"
    for title in ("Tỉnh ủy quán triệt nghị quyết", "Tiêu đề sửa nhầm"):
        page.goto(change)
        page.fill("#id_title", title)
        page.click("input[name=_save]")
        expect(page.locator(".messagelist")).to_be_visible()

    page.goto(change)
    page.get_by_role("link", name="Lịch sử").click()
    expect(page.locator("#history-versions tbody tr")).to_have_count(2)
    page.get_by_role("button", name="So sánh").click()
    diff = page.locator("#history-diff")
    expect(diff.locator("del")).to_contain_text(["Tỉnh ủy quán triệt nghị quyết"])
    expect(diff.locator("ins")).to_contain_text(["Tiêu đề sửa nhầm"])

    page.get_by_role("link", name="← Về lịch sử").click()
    page.locator("#history-versions tbody tr").nth(1).get_by_role(
        "button", name=re.compile("Khôi phục")
    ).click()
    expect(page.locator(".messagelist")).to_contain_text("Đã khôi phục phiên bản lúc")
    expect(page.locator("#id_title")).to_have_value("Tỉnh ủy quán triệt nghị quyết")
    article.refresh_from_db()
    assert article.title == "Tỉnh ủy quán triệt nghị quyết"
    assert Version.objects.get_for_object(article).count() == 3


def test_two_editors_racing_never_lose_a_text(live_server, browser):
    make_category("Thời sự")
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    make_user("bientap2", group=roles.EDITOR, password=PASSWORD)
    article = make_article("Bài gốc", status=Article.Status.DRAFT)
    change = f"{live_server.url}/admin/news/article/{article.pk}/change/"
    first_ctx, second_ctx = new_desktop(browser), new_desktop(browser)
    try:
        first, second = first_ctx.new_page(), second_ctx.new_page()
        log_in(first, live_server.url, "bientap")
        log_in(second, live_server.url, "bientap2")
        first.goto(change)
        second.goto(change)
        expect(second.locator("#edit-lock")).to_contain_text(
            "Bài viết đang được sửa bởi bientap từ"
        )

        first.fill("#id_title", "Chữ của biên tập viên thứ nhất")
        second.fill("#id_title", "Chữ của biên tập viên thứ hai")
        # Both click "Lưu" at once.
        first.click("input[name=_save]", no_wait_after=True)
        second.click("input[name=_save]", no_wait_after=True)
        expect(first.locator(".messagelist")).to_be_visible()
        # The second was refused (lock held, or the row newer than their form) and keeps
        # their text in the form.
        expect(second.locator(".errorlist.nonfield")).to_contain_text(
            "Nội dung bạn vừa sửa vẫn còn"
        )
        expect(second.locator("#id_title")).to_have_value("Chữ của biên tập viên thứ hai")
        article.refresh_from_db()
        assert article.title == "Chữ của biên tập viên thứ nhất"
        assert not EditLock.objects.filter(user__username="bientap").exists()  # released on save

        # Saving again now is a choice made knowingly; the first text stays in the history.
        second.click("input[name=_save]")
        expect(second.locator(".messagelist")).to_be_visible()
        article.refresh_from_db()
        assert article.title == "Chữ của biên tập viên thứ hai"
        titles = [v.field_dict["title"] for v in Version.objects.get_for_object(article)]
        assert "Chữ của biên tập viên thứ nhất" in titles
        assert "Chữ của biên tập viên thứ hai" in titles

        # Leaving the page releases the lock (the beacon), so the other editor may edit.
        second.goto(change)
        assert EditLock.objects.get().user.username == "bientap2"
        second.goto(live_server.url + "/admin/")
        deadline = time.time() + 5
        while EditLock.objects.exists() and time.time() < deadline:
            time.sleep(0.1)
        assert not EditLock.objects.exists()
    finally:
        first_ctx.close()
        second_ctx.close()


def test_enrol_then_log_in_with_a_totp_code(live_server, desktop):
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    page = desktop
    log_in(page, live_server.url, "bientap")
    page.goto(live_server.url + "/admin/xac-thuc-hai-buoc/")
    expect(page.locator("#twofactor-qr svg")).to_be_visible()
    secret = page.locator("#twofactor-secret").inner_text().replace(" ", "")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    page.get_by_label("Mã 6 số").fill(f"{TOTP(key).token():06d}")
    page.get_by_role("button", name="Bật xác thực hai bước").click()
    expect(page.locator("#backup-codes li")).to_have_count(10)

    page.context.clear_cookies()  # a new session: the login starts again
    # The enrolment code's time step is spent (no replay); take the next one.
    TOTPDevice.objects.update(last_t=int(time.time() // 30) - 5)
    log_in(page, live_server.url, "bientap")
    expect(page).to_have_url(re.compile(r"/admin/xac-thuc/$"))
    page.fill("#id_token", "000000")
    page.click("input[type=submit]")
    expect(page.locator(".errornote")).to_contain_text("Mã không đúng")
    page.fill("#id_token", f"{TOTP(key).token():06d}")
    page.click("input[type=submit]")
    expect(page).to_have_url(re.compile(r"/admin/$"))
    expect(page.locator("#user-tools")).to_contain_text("bientap")
