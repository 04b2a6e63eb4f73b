"""An editor writes an article in the real admin, with a captioned image uploaded from the
body editor, and schedules it a few seconds ahead: readers see it only from that time."""

import time
from datetime import timedelta

import pytest
from django.utils import timezone
from PIL import Image
from playwright.sync_api import expect

from news.models import Article, BodyImage
from portal import roles
from tests.conftest import make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"
TITLE = "Đại hội Đảng bộ tỉnh Bình Phước lần thứ XII"
CAPTION = "Quang cảnh đại hội"


def test_editor_schedules_an_article_with_a_captioned_image(live_server, desktop, tmp_path):
    make_category("Thời sự")
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    photo = tmp_path / "dai-hoi.jpg"
    Image.new("RGB", (1600, 1000), (180, 40, 40)).save(photo, "JPEG")
    page = desktop

    page.goto(live_server.url + "/admin/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")
    page.goto(live_server.url + "/admin/news/article/add/")

    page.fill("#id_title", TITLE)
    body = page.locator(".prose-editor [contenteditable=true]")
    body.click()
    page.keyboard.type("Sáng nay, đại hội khai mạc trọng thể.")

    # "Chèn ảnh vào nội dung": upload, then the figure appears where the cursor was.
    control = page.locator(".body-image-upload")
    assert control.get_by_text("Chèn ảnh vào nội dung").is_visible()
    forged = tmp_path / "khong-phai-anh.jpg"
    forged.write_text("<html><script>alert(1)</script></html>")
    control.locator("input[type=file]").set_input_files(str(forged))
    control.get_by_role("button", name="Chèn ảnh").click()
    expect(control.get_by_role("status")).to_contain_text("Tệp không phải là ảnh hợp lệ.")
    expect(body.locator("figure")).to_have_count(0)

    control.locator("input[type=file]").set_input_files(str(photo))
    control.get_by_label("Chú thích").fill(CAPTION)
    control.get_by_role("button", name="Chèn ảnh").click()
    expect(control.get_by_role("status")).to_have_text("Đã chèn ảnh vào nội dung.")
    expect(body.locator("figure img")).to_have_count(1)
    expect(body.locator("figure figcaption")).to_have_text(CAPTION)

    page.select_option("#id_category", label="Thời sự")
    page.select_option("#id_status", label="Đã xuất bản")
    # The admin's date field reads day/month/year (see news.admin.DATE_INPUT_FORMATS).
    publish_at = (timezone.localtime() + timedelta(seconds=8)).replace(microsecond=0)
    page.fill("#id_publish_at_0", publish_at.strftime("%d/%m/%Y"))
    page.fill("#id_publish_at_1", publish_at.strftime("%H:%M:%S"))
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_contain_text("hẹn xuất bản")

    article = Article.objects.get()
    assert article.publish_at == publish_at
    url = live_server.url + article.get_absolute_url()
    reader = page.context.browser.new_page()  # no session: a reader
    try:
        reader.goto(live_server.url + "/")
        assert timezone.now() < publish_at, "too slow to see the article before its time"
        assert TITLE not in reader.content()
        assert reader.goto(url).status == 404

        time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.5)
        reader.goto(live_server.url + "/")
        reader.get_by_role("link", name=TITLE).first.click()
        reader.wait_for_url(f"**{article.get_absolute_url()}")
        figure = reader.locator(".body figure")
        image_url = BodyImage.objects.get().image.url
        assert figure.locator("img").get_attribute("src") == image_url
        assert figure.locator("img").get_attribute("alt") == CAPTION
        assert figure.locator("figcaption").inner_text() == CAPTION
        assert "đại hội khai mạc trọng thể" in reader.locator(".body").inner_text()
    finally:
        reader.close()
