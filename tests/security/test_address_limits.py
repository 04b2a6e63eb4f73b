"""Changing the user agent makes a new reader id but not a new address: limits keyed on the
address (its daily keyed hash, never the address) hold a user-agent rotation to what a
crowd of honest readers behind one office or mobile-network address needs."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from comments.models import Comment, Rating, RatingTotal
from tests.comments.conftest import _comment_settings as _comment_settings  # noqa: F401
from tests.comments.conftest import comment_data
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

NAT = "203.113.9.9"  # one public address: an office, or a mobile network's NAT


def browser(n: int, address: str = NAT) -> Client:
    """Reader n: a user agent of its own (an attacker just changes the version)."""
    ua = f"Mozilla/5.0 (Linux; Android 13) AppleWebKit/537.36 Chrome/124.0.{n} Mobile Safari/537.36"
    return Client(HTTP_USER_AGENT=ua, REMOTE_ADDR=address)


@pytest.fixture
def article(settings):
    settings.COMMENT_ADDRESS_LIMIT = 30
    settings.COMMENT_ADDRESS_WINDOW = 3600
    settings.RATING_ADDRESS_LIMIT = 20
    return make_article("Lấy ý kiến dự thảo quy hoạch tỉnh")


def post_comment(client, article, n):
    return client.post(
        reverse("comments:comment-post", args=[article.slug]),
        comment_data(article, name=f"Bạn đọc {n}", body=f"Ý kiến số {n} về dự thảo quy hoạch."),
    )


def vote(client, article, stars="5"):
    return client.post(
        reverse("comments:rate", args=[article.slug]),
        {"stars": stars},
        HTTP_ACCEPT="application/json",
    )


def test_rotating_user_agents_cannot_flood_the_moderation_queue(article):
    statuses = [post_comment(browser(n), article, n).status_code for n in range(40)]
    assert statuses[:30] == [302] * 30
    assert statuses[30:] == [429] * 10
    assert Comment.objects.count() == 30
    refused = post_comment(browser(99), article, 99).content.decode()
    assert "Mạng của bạn đã gửi 30 ý kiến trong 60 phút qua" in refused
    # Another address is not held back by this one.
    assert post_comment(browser(1, "14.160.2.2"), article, 1).status_code == 302


def test_a_crowd_behind_one_address_can_all_comment(article):
    # 25 colleagues, each with their own browser, comment on the same article in an hour.
    for n in range(25):
        assert post_comment(browser(n), article, n).status_code == 302
    assert Comment.objects.count() == 25


def test_rotating_user_agents_cannot_stuff_a_rating(article):
    answers = [vote(browser(n), article) for n in range(30)]
    assert [a.status_code for a in answers] == [200] * 20 + [429] * 10
    assert RatingTotal.objects.get(article=article).votes == 20
    message = json.loads(answers[-1].content)["message"]
    assert "đủ số đánh giá cho phép trong ngày từ mạng của bạn" in message
    # Readers elsewhere still vote.
    assert vote(browser(1, "14.160.2.2"), article).status_code == 200
    assert RatingTotal.objects.get(article=article).votes == 21


def test_a_crowd_behind_one_address_can_all_rate(article):
    for n in range(20):
        assert vote(browser(n), article, stars=str(1 + n % 5)).status_code == 200
    total = RatingTotal.objects.get(article=article)
    assert (total.votes, total.points) == (20, 60)
    # And the same one still cannot vote twice.
    assert vote(browser(3), article).status_code == 409


def test_the_address_is_kept_only_as_a_daily_keyed_hash(article):
    post_comment(browser(1), article, 1)
    vote(browser(1), article)
    comment, rating = Comment.objects.get(), Rating.objects.get()
    for stored in (bytes(comment.address), bytes(rating.address)):
        assert len(stored) == 16
        assert NAT.encode() not in stored
    assert bytes(comment.address) == bytes(rating.address)  # the same address, the same day
    assert bytes(comment.address) != bytes(comment.reader)
