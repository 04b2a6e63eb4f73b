"""The article page with the page cache off: every change a reader must see shows on the
next request (an edit, an approved comment, the view count, the rating), and each reader
gets form tokens of their own."""

import secrets

import pytest
from django.test import Client

from comments import services
from comments.models import Comment
from news.models import Article
from stats import counting
from tests.conftest import BROWSER_UA, form_tokens, make_article, make_category

pytestmark = pytest.mark.django_db


def reader(ip="203.113.20.1", **extra):
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def article():
    return make_article(category=make_category("Chính trị"), allow_comments=True)


def test_an_edited_title_shows_on_the_next_request(article):
    url = article.get_absolute_url()
    reader().get(url)
    article.title = "Tiêu đề vừa được biên tập viên sửa"
    article.save()
    assert "Tiêu đề vừa được biên tập viên sửa" in reader("203.113.20.3").get(url).content.decode()


def test_an_approved_comment_shows_on_the_next_request(article, django_capture_on_commit_callbacks):
    url = article.get_absolute_url()
    assert "Chưa có ý kiến nào" in reader().get(url).content.decode()
    comment = Comment.objects.create(
        article=article, name="Bạn đọc", email="a@example.vn", body="Ý kiến vừa được duyệt.",
        status=Comment.Status.PENDING, reader=b"0" * 16,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comment_ids=[comment.pk], status=Comment.Status.APPROVED)
    html = reader("203.113.20.4").get(url).content.decode()
    assert "Ý kiến vừa được duyệt." in html
    assert 'class="comment-count">(1)' in html


def test_view_count_and_rating_are_read_fresh_for_every_reader(article):
    url = article.get_absolute_url()
    reader("203.113.20.5").get(url)
    reader("203.113.20.6").get(url)
    counting.buffer.flush()
    services.rating_submit(
        article=article, stars=4, voter=secrets.token_bytes(16), reader=secrets.token_bytes(16)
    )
    html = reader("203.113.20.7").get(url).content.decode()
    assert "2 lượt xem" in html  # the two readers before, counted and flushed
    assert "Tổng số điểm của bài viết là: 4 trong 1 đánh giá" in html
    assert "(trung bình 4,0/5)" in html
    Article.objects.filter(pk=article.pk).update(view_count=12345)
    assert "12.345 lượt xem" in reader("203.113.20.8").get(url).content.decode()


def test_each_reader_gets_a_valid_csrf_token_and_can_comment(article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    url = article.get_absolute_url()
    reader("203.113.20.9").get(url)
    client = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.9"
    )
    tokens = form_tokens(client, client.get(url).content.decode())
    response = client.post(
        url + "binh-luan/",
        {"csrfmiddlewaretoken": tokens["csrf"], "name": "Bạn đọc", "email": "b@example.vn",
         "body": "Bài viết rất hay, cảm ơn tòa soạn.", "website": "", "opened": tokens["opened"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Comment.objects.filter(article=article, name="Bạn đọc").exists()


def test_unpublished_article_is_404_on_the_next_request(article):
    url = article.get_absolute_url()
    reader().get(url)
    article.status = Article.Status.HIDDEN
    article.save()
    assert reader("203.113.20.10").get(url).status_code == 404


def test_staff_see_a_preview_and_readers_a_later_comment_page(
    article, editor, django_assert_max_num_queries
):
    draft = make_article("Bản nháp chưa đăng", category=article.category,
                         status=Article.Status.DRAFT)  # fmt: skip
    staff = Client(HTTP_USER_AGENT=BROWSER_UA)
    staff.force_login(editor)
    html = staff.get(draft.get_absolute_url()).content.decode()
    assert "Bản xem trước" in html
    assert reader().get(draft.get_absolute_url()).status_code == 404
    url = article.get_absolute_url()
    reader().get(url)
    page = reader("203.113.20.11").get(url + "?trang-y-kien=2")
    assert page.status_code == 200 and article.title in page.content.decode()
