"""The page cache for anonymous readers: fast hits that still count, stay fresh after staff
changes, give each reader a valid form, and never serve one reader's state to another."""

import re

import pytest
from django.core.cache import caches
from django.test import Client

from comments.models import Comment, Rating
from news.models import Article
from stats import counting
from tests.conftest import BROWSER_UA, form_tokens, make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 30


def reader(ip="203.113.9.1", **extra):
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def article():
    return make_article(category=make_category("Chính trị"), allow_comments=True)


def test_second_view_is_a_hit_with_no_query_and_still_counts(article, django_assert_num_queries):
    url = article.get_absolute_url()
    first = reader("203.113.9.1").get(url)
    assert first["X-Page-Cache"] == "miss"
    with django_assert_num_queries(0):
        hit = reader("203.113.9.2").get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert hit.content.decode().count(article.title) >= 1
    counting.buffer.flush()
    article.refresh_from_db()
    assert article.view_count == 2  # two readers, one served from the cache


def test_a_hit_by_the_same_reader_does_not_count_twice(article):
    client = reader()
    client.get(article.get_absolute_url())
    client.get(article.get_absolute_url())
    counting.buffer.flush()
    article.refresh_from_db()
    assert article.view_count == 1


def test_each_reader_gets_a_valid_csrf_token_and_can_post_from_a_cached_page(article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    client = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.4"
    )
    page = client.get(url)
    assert page["X-Page-Cache"] == "hit"
    html = page.content.decode()
    # The cached page carries no token (one would be another reader's) and sets no cookie.
    assert 'name="csrfmiddlewaretoken" value=""' in html and not page.cookies
    tokens = form_tokens(client, html)
    response = client.post(
        article.get_absolute_url() + "binh-luan/",
        {"csrfmiddlewaretoken": tokens["csrf"], "name": "Bạn đọc", "email": "a@example.vn",
         "body": "Bài viết rất hay, cảm ơn tòa soạn.", "website": "", "opened": tokens["opened"]},
    )  # fmt: skip
    assert response.status_code == 302
    assert Comment.objects.filter(article=article, name="Bạn đọc").exists()


def test_a_staff_change_shows_at_once(article):
    url = article.get_absolute_url()
    reader().get(url)
    article.title = "Tiêu đề đã sửa"
    article.save()
    response = reader("203.113.9.3").get(url)
    assert response["X-Page-Cache"] == "miss"
    assert "Tiêu đề đã sửa" in response.content.decode()


def test_hidden_article_is_404_at_once_even_if_cached(article):
    url = article.get_absolute_url()
    reader().get(url)
    article.status = Article.Status.HIDDEN
    article.save()
    assert reader("203.113.9.4").get(url).status_code == 404


def test_a_moderated_comment_shows_at_once(article, django_capture_on_commit_callbacks):
    url = article.get_absolute_url()
    reader().get(url)
    from comments.services import comments_moderate

    comment = Comment.objects.create(
        article=article, name="Bạn đọc", email="a@example.vn", body="Ý kiến đã duyệt.",
        status=Comment.Status.PENDING, reader=b"0" * 16,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        comments_moderate(comment_ids=[comment.pk], status=Comment.Status.APPROVED)
    html = reader("203.113.9.5").get(url).content.decode()
    assert "Ý kiến đã duyệt." in html


def test_readers_with_a_session_or_message_are_never_served_from_the_cache(article, editor):
    url = article.get_absolute_url()
    reader().get(url)
    staff = Client(HTTP_USER_AGENT=BROWSER_UA)
    staff.force_login(editor)
    assert "X-Page-Cache" not in staff.get(url)
    other = reader(HTTP_COOKIE="messages=abc")
    assert "X-Page-Cache" not in other.get(url)


def test_a_hit_shows_the_statistics_of_now_not_of_the_cached_render(article):
    from stats import blocks as stats_blocks

    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    stats_blocks.invalidate()
    caches["fragments"].set(stats_blocks.BLOCK_KEY, {"online": 7, "today": 12345, "yesterday": 0,
                                                     "month": 0, "total": 99999}, 30)  # fmt: skip
    hit = reader("203.113.9.2").get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert "Hôm nay: <strong>12.345</strong>" in hit.content.decode()


def test_a_page_refused_by_a_cacheable_view_is_filled_but_not_stored():
    response = reader().get("/bai-viet/khong-co-bai-nay/")
    assert response.status_code == 404
    assert "X-Page-Cache" not in response
    html = response.content.decode()
    assert "Thống kê" in html and "\x1f" not in html  # the sidebar, its parts filled


def test_a_reader_who_voted_is_served_from_the_cache_with_their_own_rating(article):
    article.allow_rating = True
    article.save()
    url = article.get_absolute_url()
    client = reader("203.113.9.6", HTTP_ACCEPT="application/json")
    client.get(url)
    assert client.post(url + "danh-gia/", {"stars": "4"}).status_code == 200
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page["X-Page-Cache"] == "hit"  # the voter cookie does not keep the cache away
    html = page.content.decode()
    assert "Bạn đã đánh giá 4 sao" in html
    assert 'name="stars"' not in html
    # Another reader of the same cached page is offered the stars.
    other = reader("203.113.9.7").get(url).content.decode()
    assert 'name="stars"' in other and "Bạn đã đánh giá" not in other


def test_the_rating_form_of_a_hit_gets_its_token_and_a_vote_with_it_is_accepted(article):
    article.allow_rating = True
    article.save()
    url = article.get_absolute_url()
    reader("203.113.9.8").get(url)
    client = reader("203.113.9.9")
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    html = hit.content.decode()
    assert not re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    token = form_tokens(client, html, "rating-form")["csrf"]
    client.handler.enforce_csrf_checks = True
    vote = client.post(url + "danh-gia/", {"stars": "5", "csrfmiddlewaretoken": token})
    assert vote.status_code == 302  # accepted, back to the article (a CSRF failure is 403)
    assert list(Rating.objects.filter(article=article).values_list("stars", flat=True)) == [5]
