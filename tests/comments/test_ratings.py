"""Ratings: 1 to 5 stars, once per reader, exact totals under concurrency."""

import secrets
import threading

import pytest
from django.db import connection
from django.test import Client

from comments import services
from comments.models import Rating, RatingTotal
from tests.comments.conftest import rate_url
from tests.conftest import BROWSER_UA, make_article

pytestmark = pytest.mark.django_db


def totals(article):
    total = RatingTotal.objects.filter(article=article).first()
    return (total.points, total.votes) if total else (0, 0)


def test_article_shows_the_empty_rating_line(reader_client, article):
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Tổng số điểm của bài viết là: 0 trong 0 đánh giá" in html
    assert 'aria-label="Đánh giá 5 trên 5 sao"' in html


def test_plain_form_vote_redirects_with_a_notice_and_updates_the_line(reader_client, article):
    response = reader_client.post(rate_url(article), {"stars": "4"})
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#danh-gia"
    assert totals(article) == (4, 1)
    html = reader_client.get(response["Location"]).content.decode()
    assert "Cảm ơn bạn đã đánh giá 4 sao" in html
    assert "Tổng số điểm của bài viết là: 4 trong 1 đánh giá" in html
    assert "(trung bình 4,0/5)" in html
    assert "Bạn đã đánh giá 4 sao cho bài viết này" in html
    assert 'name="stars"' not in html
    assert 'aria-label="Đánh giá 5 trên 5 sao"' not in html  # the stars are gone for this reader


def test_average_has_one_decimal(article):
    for stars in [5, 4, 4, 5, 3, 4, 5, 4, 4, 4]:
        services.rating_submit(
            article=article, stars=stars, voter=secrets.token_bytes(16),
            reader=secrets.token_bytes(16),
        )  # fmt: skip
    client = Client(HTTP_USER_AGENT=BROWSER_UA)
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Tổng số điểm của bài viết là: 42 trong 10 đánh giá" in html
    assert "(trung bình 4,2/5)" in html


def test_second_vote_is_refused_by_reload_second_tab_and_replay(reader_client, article):
    reader_client.post(rate_url(article), {"stars": "5"})
    # Reload (the browser re-sends the POST with the cookie) and a second tab (same cookie).
    again = reader_client.post(rate_url(article), {"stars": "1"})
    assert again.status_code == 302
    html = reader_client.get(again["Location"]).content.decode()
    assert "Bạn đã đánh giá bài viết này rồi" in html
    # A replayed POST without any cookie, from the same reader.
    replay = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10")
    assert replay.post(rate_url(article), {"stars": "1"}).status_code == 302
    # The same cookie from another address (a phone moving from wifi to 4G).
    moved = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="27.72.1.1")
    moved.cookies = reader_client.cookies
    assert moved.post(rate_url(article), {"stars": "1"}).status_code == 302
    assert totals(article) == (5, 1)
    assert Rating.objects.count() == 1


def test_json_vote_answers_with_the_new_line(reader_client, article):
    response = reader_client.post(rate_url(article), {"stars": "3"}, HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert body["line"] == "Tổng số điểm của bài viết là: 3 trong 1 đánh giá"
    assert body["average"] == "3,0"
    again = reader_client.post(rate_url(article), {"stars": "5"}, HTTP_ACCEPT="application/json")
    assert again.status_code == 409
    assert "đã đánh giá" in again.json()["message"]
    assert again.json()["line"] == "Tổng số điểm của bài viết là: 3 trong 1 đánh giá"


@pytest.mark.parametrize(
    "stars", ["0", "6", "-1", "abc", "", "4.5", "<script>alert(1)</script>", "3\x00"]
)
def test_bad_star_values_are_400(reader_client, article, stars):
    response = reader_client.post(rate_url(article), {"stars": stars})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Điểm đánh giá phải là từ 1 đến 5 sao." in html
    assert "<script>alert(1)</script>" not in html
    assert Rating.objects.count() == 0
    json = reader_client.post(rate_url(article), {"stars": stars}, HTTP_ACCEPT="application/json")
    assert json.status_code == 400 and json.json()["ok"] is False


def test_missing_stars_is_400(reader_client, article):
    assert reader_client.post(rate_url(article), {}).status_code == 400


def test_rating_an_article_that_forbids_it_is_403(reader_client, db):
    closed = make_article("Không cho đánh giá", allow_rating=False)
    response = reader_client.post(rate_url(closed), {"stars": "5"})
    assert response.status_code == 403
    assert "không nhận đánh giá" in response.content.decode()
    assert Rating.objects.count() == 0
    assert "Tổng số điểm" not in reader_client.get(closed.get_absolute_url()).content.decode()


def test_rating_a_missing_or_unpublished_article_is_404(reader_client, db):
    make_article("Bản nháp", status="draft", slug="ban-nhap")
    for slug in ["khong-co-bai-nay", "ban-nhap"]:
        assert reader_client.post(f"/bai-viet/{slug}/danh-gia/", {"stars": "5"}).status_code == 404
    assert Rating.objects.count() == 0


def test_rating_without_csrf_token_is_403(article):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
    assert client.post(rate_url(article), {"stars": "5"}).status_code == 403
    assert Rating.objects.count() == 0


def test_rating_by_get_is_405(reader_client, article):
    assert reader_client.get(rate_url(article), {"stars": "5"}).status_code == 405


def test_a_forged_voter_cookie_does_not_pass(reader_client, article):
    reader_client.cookies["bp_danh_gia"] = "00" * 16  # unsigned
    assert reader_client.post(rate_url(article), {"stars": "2"}).status_code == 302
    assert totals(article) == (2, 1)


@pytest.mark.django_db(transaction=True)
def test_64_concurrent_votes_are_all_counted_exactly():
    article = make_article("Bài được đánh giá cùng lúc")
    n = 64
    stars = [(i % 5) + 1 for i in range(n)]
    barrier = threading.Barrier(n)
    errors = []

    def vote(i):
        try:
            barrier.wait(timeout=30)
            services.rating_submit(
                article=article, stars=stars[i], voter=secrets.token_bytes(16),
                reader=secrets.token_bytes(16),
            )  # fmt: skip
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert totals(article) == (sum(stars), n)
    assert Rating.objects.filter(article=article).count() == n


@pytest.mark.django_db(transaction=True)
def test_concurrent_duplicate_votes_count_once():
    article = make_article("Bài bị bấm đúp")
    voter, reader = secrets.token_bytes(16), secrets.token_bytes(16)
    barrier = threading.Barrier(16)
    refused = []

    def vote():
        try:
            barrier.wait(timeout=30)
            services.rating_submit(article=article, stars=5, voter=voter, reader=reader)
        except services.AlreadyRatedError:
            refused.append(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=vote) for _ in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(refused) == 15
    assert totals(article) == (5, 1)
