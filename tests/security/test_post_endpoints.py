"""Every URL of the site refuses a POST without a CSRF token (403, in Vietnamese), and the
few that an anonymous visitor may POST to are known and each has a flood limit (429)."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from comments.models import Comment, Rating
from portal import ratelimit
from tests.comments.conftest import comment_data, post_url, rate_url
from tests.conftest import BROWSER_UA, make_article
from tests.security.urlwalk import paths, patterns

pytestmark = pytest.mark.django_db

# The POSTs an anonymous visitor can make, and what bounds a flood of each.
PUBLIC_POSTS = {
    "comments:comment-post": "comments.services: one per article per minute, "
    "COMMENT_RATE_LIMIT per COMMENT_RATE_WINDOW, per reader",
    "comments:rate": "RATING_RATE_LIMIT per RATING_RATE_WINDOW per reader (portal.ratelimit)",
    "admin:login": "django-axes: AXES_FAILURE_LIMIT per user name and client, "
    "LOGIN_CLIENT_FAILURE_LIMIT per client (portal.security)",
    # The same address, answered by the two-step login (twofactor/), the same lockout; its
    # second step (twofactor:verify) sends a visitor without a checked password to the login.
    "twofactor:login": "django-axes, as admin:login (the same URL)",
    "contact:contact": "COMMENT_RATE_LIMIT per COMMENT_RATE_WINDOW per reader "
    "(contact.services; tests/contact)",
}


def candidates(content):
    article = content["article"]
    return {
        "slug": [
            article.slug, content["category"].slug, content["tag"].slug,
            content["document"].slug, content["page"].slug,
        ],
        "pk": [str(content["banner"].pk), str(content["document"].files.first().pk)],
        "object_id": [str(article.pk)],
        "content_type_id": [str(ContentType.objects.get_for_model(article).pk)],
        "app_label": ["news", "documents", "comments", "pages", "banners", "stats", "reports", "auth", "axes"],
        "section": ["articles"],
        "fmt": ["xlsx"],
        # old NukeViet links (nukeviet/urls.py): one path of each shape
        "path": ["news/tin-tuc/", "tin-tuc/bai-1.html", "rss/tin-tuc/", "tin-tuc/",
                 "print/tin-tuc/bai-1.html", "tag/binh-phuoc"],
        "*": ["1"],
    }  # fmt: skip


def every_path(content) -> dict[str, list[str]]:
    """name -> its paths, for every pattern of the site (fails on one it cannot fill)."""
    values = candidates(content)
    found, unfilled = {}, []
    for name, params, _sample in patterns():
        filled = paths(name, params, values)
        if not filled:
            unfilled.append(name)
        found[name] = filled
    assert unfilled == []
    return found


def test_every_url_refuses_a_post_without_csrf_token(content, admin_user):
    anonymous = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
    staff = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
    staff.force_login(admin_user)
    accepted, checked = [], 0
    for name, urls in every_path(content).items():
        for url in urls:
            tries = [anonymous.post, anonymous.delete, staff.post]
            for method in tries:
                response = method(url, {"stars": "5", "body": "x"})
                checked += 1
                if response.status_code != 403:
                    accepted.append((name, url, method.__name__, response.status_code))
    assert accepted == []
    assert checked > 500  # the admin's pages included
    assert Comment.objects.count() == 1 and Rating.objects.count() == 0  # the fixture's


def test_the_refusal_is_explained_in_vietnamese(content):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
    response = client.post(post_url(content["article"]), comment_data(content["article"]))
    assert response.status_code == 403
    html = response.content.decode()
    assert "Không gửi được biểu mẫu" in html
    assert "Hãy tải lại trang và thử lại." in html
    assert "CSRF" not in html


def test_only_the_known_endpoints_take_an_anonymous_post(content):
    client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    takes_post = set()
    for name, urls in every_path(content).items():
        for url in urls:
            response = client.post(url, {})
            if response.status_code in (401, 403, 404, 405):
                continue  # refused, or no such object
            location = response.get("Location", "")
            if response.status_code == 302 and location.startswith("/admin/"):
                continue  # staff only: to the login page (or, for the logout, the admin)
            takes_post.add(name)
    assert takes_post == set(PUBLIC_POSTS)


def test_a_flood_of_comments_is_answered_429(content, settings):
    settings.COMMENT_RATE_LIMIT = 5
    client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    articles = [make_article(f"Bài số {i}") for i in range(12)]
    statuses = [
        client.post(post_url(a), comment_data(a, body=f"Ý kiến cho bài số {i}")).status_code
        for i, a in enumerate(articles)
    ]
    assert statuses == [302] * 5 + [429] * 7
    assert Comment.objects.count() == 1 + 5


def test_a_flood_of_ratings_is_answered_429(content, settings):
    settings.RATING_RATE_LIMIT = 8
    settings.RATING_RATE_WINDOW = 600
    client = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    articles = [make_article(f"Bài số {i}") for i in range(12)]
    statuses = [client.post(rate_url(a), {"stars": "5"}).status_code for a in articles]
    assert statuses == [302] * 8 + [429] * 4
    assert Rating.objects.count() == 8
    refused = client.post(rate_url(articles[-1]), {"stars": "4"})
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"
    assert "Bạn đã gửi quá nhiều đánh giá trong 10 phút qua." in refused.content.decode()
    json = client.post(rate_url(articles[-1]), {"stars": "4"}, HTTP_ACCEPT="application/json")
    assert json.status_code == 429
    assert json.json()["ok"] is False
    # Repeats on one article count too: a flood there costs nothing either.
    neighbour = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="14.160.1.1")
    statuses = [
        neighbour.post(rate_url(articles[0]), {"stars": "3"}).status_code for _ in range(10)
    ]
    assert statuses == [302] * 8 + [429] * 2
    assert Rating.objects.count() == 9


def test_the_rate_limit_lets_requests_through_when_the_cache_fails(monkeypatch):
    def broken(*args, **kwargs):
        raise ConnectionError("cache server away")

    monkeypatch.setattr(ratelimit.cache, "add", broken)
    assert all(ratelimit.allow("rate", b"r" * 16, limit=1, window=60) for _ in range(3))
