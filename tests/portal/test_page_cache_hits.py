"""What a page-cache hit makes per view (portal.pagecache's per-view parts): the banners
chosen and their impressions counted on every hit, a banner change shown at once, a
distinct working CSRF token per reader, and the comment form's timing token."""

import time
from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from banners import blocks
from comments import spam
from stats import counting
from tests.banners.conftest import banner_position, impressions, make_banner
from tests.conftest import BROWSER_UA, form_tokens, make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def page_cache_on(settings):
    settings.PAGE_CACHE = True
    settings.PAGE_CACHE_SECONDS = 30


def reader(ip, **extra):
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=ip, **extra)


@pytest.fixture
def article():
    return make_article(category=make_category("Chính trị"), allow_comments=True)


def impressions_of(banner) -> int:
    counting.buffer.flush()
    return impressions().get(banner.pk, 0)


def test_each_cached_hit_counts_the_banners_it_shows(article, django_assert_num_queries):
    banner = make_banner("Cổng dịch vụ công")
    url = article.get_absolute_url()
    assert reader("203.113.9.1").get(url)["X-Page-Cache"] == "miss"
    for i in range(2, 7):
        # Queries: none (the page and the banner rows come from the cache).
        with django_assert_num_queries(0):
            hit = reader(f"203.113.9.{i}").get(url)
        assert hit["X-Page-Cache"] == "hit"
        assert "Cổng dịch vụ công" in hit.content.decode()
    assert impressions_of(banner) == 6  # the render and five hits


def test_a_random_position_counts_only_the_banner_each_hit_shows(article):
    banner_position("links", mode="random_one")
    banners = [make_banner(f"Đối tác {i}", order=i) for i in range(3)]
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    shown = []
    for i in range(2, 12):
        html = reader(f"203.113.9.{i}").get(url).content.decode()
        shown += [b.pk for b in banners if b.title in html]
    assert len(shown) == 10  # one banner per hit
    counting.buffer.flush()
    counted = impressions()
    # The render and ten hits, each counting only what it showed.
    assert sum(counted.values()) == 11
    for pk in set(shown):
        assert counted[pk] >= shown.count(pk)


def test_a_new_banner_shows_on_the_next_hit(article):
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    assert "Báo Nhân Dân" not in reader("203.113.9.2").get(url).content.decode()
    make_banner("Báo Nhân Dân")  # a staff change: the content generation moves
    assert "Báo Nhân Dân" in reader("203.113.9.3").get(url).content.decode()


def test_a_scheduled_banner_shows_on_the_first_hit_after_its_start(article, monkeypatch):
    start = timezone.now() + timedelta(hours=1)
    make_banner("Hẹn giờ", start_at=start)
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    assert "Hẹn giờ" not in reader("203.113.9.2").get(url).content.decode()
    monkeypatch.setattr(blocks.timezone, "now", lambda: start + timedelta(minutes=1))
    # No staff change: the clock alone, the page still from the cache.
    assert "Hẹn giờ" in reader("203.113.9.3").get(url).content.decode()


def test_every_reader_of_a_cached_page_gets_a_distinct_token_that_works(article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    tokens = set()
    for i in range(2, 5):
        client = Client(
            enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR=f"198.51.100.{i}"
        )
        page = client.get(url)
        assert page["X-Page-Cache"] == "hit"
        html = page.content.decode()
        # The comment and the rating form, both without a token in the shared HTML.
        assert html.count('name="csrfmiddlewaretoken" value=""') == 2
        fetched = form_tokens(client, html)
        tokens.add(fetched["csrf"])
        response = client.post(
            url + "binh-luan/",
            {"csrfmiddlewaretoken": fetched["csrf"], "name": "Bạn đọc", "email": "a@example.vn",
             "body": "Bài viết rất hay, cảm ơn tòa soạn.", "website": "",
             "opened": fetched["opened"]},
        )  # fmt: skip
        assert response.status_code == 302
    assert len(tokens) == 3


def test_a_forged_token_is_still_refused_after_a_cached_page(article):
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    client = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.9"
    )
    client.get(url)
    other = reader("198.51.100.10").get(url).content.decode()
    forged = other.split('name="csrfmiddlewaretoken" value="')[1].split('"')[0]  # another's
    response = client.post(url + "binh-luan/", {"csrfmiddlewaretoken": forged, "body": "x"})
    assert response.status_code == 403


def test_each_hit_gets_a_timing_token_of_its_own_time(article, monkeypatch, settings):
    settings.COMMENT_MIN_SECONDS = 5
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    now = time.time() + 3600  # an hour after the page was stored
    monkeypatch.setattr(spam.time, "time", lambda: now)
    client = reader("203.113.9.2")
    html = client.get(url).content.decode()
    assert 'name="opened" value=""' in html  # not the cached render's time
    token = form_tokens(client, html)["opened"]
    spam.check_form_token(token, article.pk, now=now + 5)  # accepted: timed from this hit
    with pytest.raises(spam.FormTokenError, match="quá nhanh"):
        spam.check_form_token(token, article.pk, now=now + 1)


def test_a_hit_sets_no_cookie_and_flash_messages_still_work(article, settings):
    settings.COMMENT_MIN_SECONDS = 0
    url = article.get_absolute_url()
    reader("203.113.9.1").get(url)
    client = reader("203.113.9.2")
    hit = client.get(url)
    assert hit["X-Page-Cache"] == "hit"
    assert not hit.cookies  # no CSRF, messages or session cookie
    # The message storage, made only when a view uses it, still carries the notice
    # across the redirect after a comment.
    response = client.post(
        url + "binh-luan/",
        {"name": "Bạn đọc", "email": "a@example.vn", "website": "",
         "body": "Bài viết rất hay, cảm ơn tòa soạn.",
         "opened": form_tokens(client, hit.content.decode())["opened"]},
        follow=True,
    )  # fmt: skip
    assert "Cảm ơn bạn!" in response.content.decode()


def test_a_cached_page_without_a_post_form_makes_no_token(article):
    reader("203.113.9.1").get("/")
    hit = reader("203.113.9.2").get("/")
    assert hit["X-Page-Cache"] == "hit"
    assert "csrfmiddlewaretoken" not in hit.content.decode()
    assert not hit.cookies  # no CSRF cookie either
