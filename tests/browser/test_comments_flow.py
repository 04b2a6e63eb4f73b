"""A reader comments and sees it waiting; a moderator approves it in the admin; the reader
sees it published and counted; the reader rates the article (no reload) and cannot rate it
again."""

import pytest

from comments.models import Comment, Rating, RatingTotal
from portal import roles
from tests.conftest import make_article, make_category, make_user

pytestmark = pytest.mark.django_db(transaction=True)

PASSWORD = "mat-khau-Thu-2026"


@pytest.fixture(autouse=True)
def comment_settings(settings):
    # No site settings record is saved, so every comment waits for a moderator ("all").
    settings.COMMENT_CAPTCHA = False
    settings.COMMENT_MIN_SECONDS = 0  # a test types faster than the spam guard allows
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def test_comment_moderation_and_rating(live_server, phone, desktop):
    category = make_category("Xây dựng Đảng")
    article = make_article("Hội nghị tổng kết công tác tuyên giáo năm 2024", category=category)
    make_user("kiemduyet", group=roles.MODERATOR, password=PASSWORD)
    url = live_server.url + article.get_absolute_url()
    reader = phone

    # The reader writes a comment and sees it as waiting.
    reader.goto(url)
    assert reader.locator("#y-kien-title").text_content() == "Ý kiến bạn đọc"
    reader.fill("#id_name", "Trần Thị Bình")
    reader.fill("#id_email", "binh@example.vn")
    reader.fill("#id_body", "Bài viết rất thiết thực.\nMong có thêm số liệu cụ thể.")
    reader.get_by_role("button", name="Gửi ý kiến").click()
    reader.wait_for_url(f"**{article.get_absolute_url()}#y-kien")
    assert "đang chờ kiểm duyệt" in reader.locator(".messages").inner_text()
    waiting = reader.locator(".comment.is-waiting")
    assert "Bài viết rất thiết thực." in waiting.inner_text()
    assert "Đang chờ kiểm duyệt" in waiting.inner_text()
    assert reader.locator(".comment-count").count() == 0  # not counted yet

    # The moderator sees one waiting comment on the admin index and approves it.
    mod = desktop
    mod.goto(live_server.url + "/admin/login/")
    mod.fill("#id_username", "kiemduyet")
    mod.fill("#id_password", PASSWORD)
    mod.locator("input[type=submit]").click()
    mod.wait_for_url("**/admin/")
    mod.get_by_role("link", name="Bình luận (1 chờ duyệt)").click()
    mod.wait_for_url("**/admin/comments/comment/?status__exact=pending")
    row = mod.locator("#result_list tbody tr").filter(has_text="Bài viết rất thiết thực.")
    row.locator("input[name=_selected_action]").check()
    mod.select_option("select[name=action]", "approve")
    mod.locator("button[name=index]").click()
    assert "Đã duyệt 1 bình luận." in mod.locator(".messagelist").inner_text()
    assert Comment.objects.get().status == "approved"

    # The reader sees it published, and the count has gone up on the article and the list.
    reader.reload()
    assert reader.locator(".comment.is-waiting").count() == 0
    assert reader.locator("#y-kien-title").text_content() == "Ý kiến bạn đọc (1)"
    published = reader.locator(".comment-list .comment").first
    assert "Trần Thị Bình" in published.inner_text()
    assert "binh@example.vn" not in reader.content()
    reader.goto(live_server.url + category.get_absolute_url())
    assert "1 bình luận" in reader.locator("main").inner_text()

    # The reader rates the article: the line changes without a page load.
    reader.goto(url)
    line = reader.locator("[data-rating-line]")
    assert line.inner_text() == "Tổng số điểm của bài viết là: 0 trong 0 đánh giá"
    reader.evaluate("window.__samePage = true")
    reader.get_by_role("button", name="Đánh giá 4 trên 5 sao").click()
    # A locator waits without evaluating a string in the page (the CSP forbids that eval).
    line.get_by_text("4 trong 1", exact=False).wait_for()
    assert line.inner_text() == "Tổng số điểm của bài viết là: 4 trong 1 đánh giá"
    assert "trung bình 4,0/5" in reader.locator("[data-rating-average]").inner_text()
    assert "Cảm ơn bạn đã đánh giá 4 sao" in reader.locator("[data-rating-status]").inner_text()
    assert reader.evaluate("window.__samePage") is True  # no reload happened
    # The stars stay, lit up to the reader's four (not grey), and take no second vote.
    stars = reader.locator("form[data-rating-form] button[name=stars]")
    assert [s.evaluate("b => b.classList.contains('chosen')") for s in stars.all()] == [
        True,
        True,
        True,
        True,
        False,
    ]
    assert all(s.is_disabled() for s in stars.all())
    lit = stars.first.evaluate("b => getComputedStyle(b).color")
    grey = stars.last.evaluate("b => getComputedStyle(b).color")
    assert lit != grey

    # Reloading shows the vote as done; a replayed POST (second tab, crafted) is refused.
    reader.reload()
    assert "Bạn đã đánh giá 4 sao" in reader.locator("#danh-gia").inner_text()
    csrf = next(c["value"] for c in reader.context.cookies() if c["name"] == "csrftoken")
    replay = reader.request.post(
        url + "danh-gia/",
        form={"stars": "1", "csrfmiddlewaretoken": csrf},
        headers={"Accept": "application/json", "Referer": url},
    )
    assert replay.status == 409
    assert "đã đánh giá" in replay.json()["message"]
    second_tab = reader.context.new_page()
    second_tab.goto(url)
    assert second_tab.locator("form[data-rating-form]").count() == 0
    second_tab.close()
    total = RatingTotal.objects.get(article=article)
    assert (total.points, total.votes) == (4, 1)
    assert Rating.objects.count() == 1


def test_a_reader_who_rated_sees_their_rating_and_no_stars_after_a_reload(live_server, phone):
    article = make_article("Tỉnh khánh thành cầu mới", category=make_category("Giao thông"))
    phone.goto(live_server.url + article.get_absolute_url())
    phone.get_by_role("button", name="Đánh giá 3 trên 5 sao").click()
    phone.locator("[data-rating-status]").get_by_text("Cảm ơn bạn", exact=False).wait_for()
    phone.reload()
    block = phone.locator("#danh-gia")
    assert "Bạn đã đánh giá 3 sao" in block.inner_text()
    assert block.locator("button:enabled").count() == 0
    assert "Tổng số điểm của bài viết là: 3 trong 1 đánh giá" in block.inner_text()
