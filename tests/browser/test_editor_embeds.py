"""Videos and alignment in the staff body editor: an imported article's YouTube embed, centred
paragraph and right-floated photo survive an edit and save in the real admin, and staff
insert a video from its YouTube address with the editor's "Chèn video" button."""

import re

import pytest
from playwright.sync_api import expect

from news.models import Article
from portal import roles
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"
VIDEO_ID = "dQw4w9WgXcQ"
EMBED = f"https://www.youtube-nocookie.com/embed/{VIDEO_ID}"
# What the NukeViet importer stores for a centred paragraph, a YouTube video and a photo
# floated right (portal.richtext.sanitize_html).
IMPORTED = (
    '<p class="text-center">Lễ khánh thành cầu Đồng Xoài mới.</p>'
    f'<iframe src="{EMBED}" width="560" height="315"></iframe>'
    '<figure class="align-right"><img src="/media/anh/cau-moi.jpg" alt="Cầu mới">'
    "<figcaption>Cầu mới nhìn từ bờ sông</figcaption></figure>"
    "<p>Người dân rất vui mừng.</p>"
)


def log_in(page, url):
    make_user("bientap", group=roles.EDITOR, password=PASSWORD)
    # The video host stays outside the test: its frame is asked for and answered with nothing.
    page.route(re.compile(r"^https://www\.youtube-nocookie\.com/"), lambda route: route.abort())
    page.goto(url + "/admin/")
    page.fill("#id_username", "bientap")
    page.fill("#id_password", PASSWORD)
    page.click("input[type=submit]")


def test_an_imported_video_and_alignment_survive_an_edit(live_server, desktop):
    article = make_article(category=make_category("Thời sự"), body=IMPORTED)
    assert article.body.count("<iframe") == 1  # stored as the importer writes it
    page = desktop
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")

    body = page.locator(".prose-editor [contenteditable=true]")
    expect(body.locator("iframe")).to_have_count(1)
    expect(body.locator("p.text-center")).to_have_text("Lễ khánh thành cầu Đồng Xoài mới.")
    body.get_by_text("Người dân rất vui mừng.").click()
    page.keyboard.press("End")
    for _ in "mừng.":
        page.keyboard.press("Backspace")
    page.keyboard.type("phấn khởi.")
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()

    saved = Article.objects.get(pk=article.pk).body
    assert "<p>Người dân rất vui phấn khởi.</p>" in saved
    assert f'<iframe src="{EMBED}" width="560" height="315"' in saved
    assert '<p class="text-center">Lễ khánh thành cầu Đồng Xoài mới.</p>' in saved
    assert '<figure class="align-right"><img src="/media/anh/cau-moi.jpg"' in saved

    reader = page.context.new_page()
    reader.route(re.compile(r"^https://www\.youtube-nocookie\.com/"), lambda r: r.abort())
    reader.goto(live_server.url + article.get_absolute_url())
    expect(reader.locator(".body iframe")).to_have_attribute("src", EMBED)
    expect(reader.locator(".body p.text-center")).to_have_css("text-align", "center")
    expect(reader.locator(".body figure.align-right")).to_have_css("float", "right")
    reader.close()


def test_staff_insert_a_youtube_video_from_its_address(live_server, desktop):
    article = make_article(category=make_category("Thời sự"), body="<p>Bản tin tối nay.</p>")
    page = desktop
    log_in(page, live_server.url)
    page.goto(f"{live_server.url}/admin/news/article/{article.pk}/change/")

    body = page.locator(".prose-editor [contenteditable=true]")
    body.get_by_text("Bản tin tối nay.").click()
    page.keyboard.press("End")
    page.get_by_role("button", name="Chèn video").click()
    dialog = page.get_by_role("dialog")
    field = dialog.get_by_label("Địa chỉ video YouTube hoặc Facebook")

    # An address of no video: refused, in Vietnamese, and nothing is inserted.
    field.fill("https://example.com/phim")
    dialog.get_by_role("button", name="Chèn").click()
    expect(dialog.get_by_role("alert")).to_have_text(
        "Không nhận ra địa chỉ này: hãy dán địa chỉ một video YouTube hoặc Facebook."
    )
    expect(body.locator("iframe")).to_have_count(0)

    field.fill(f"https://www.youtube.com/watch?v={VIDEO_ID}&t=42s")
    dialog.get_by_role("button", name="Chèn").click()
    expect(body.locator("iframe")).to_have_count(1)
    page.click("input[name=_save]")
    expect(page.locator(".messagelist")).to_be_visible()

    saved = Article.objects.get(pk=article.pk).body
    assert saved.startswith("<p>Bản tin tối nay.</p>")
    assert f'<iframe src="{EMBED}"' in saved
