"""Whoever may delete an article or a document deletes it with what exists only for it
(comments, ratings, the rating total, files), as the admin's confirmation page lists them;
the statistics keep the history of its views."""

import pytest

from comments.models import Comment, Rating, RatingTotal
from documents.models import Document, DocumentFile
from news.models import Article
from stats import counting
from stats.models import ObjectViews
from tests.conftest import BROWSER_UA, make_article
from tests.documents.conftest import make_document

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated_article(client):
    article = make_article("Bài có đánh giá và bình luận")
    Comment.objects.create(
        article=article, name="An", email="an@example.vn", body="Hay.", status="approved"
    )
    Rating.objects.create(article=article, stars=4, voter=b"v" * 16, reader=b"r" * 16)
    RatingTotal.objects.create(article=article, votes=1, points=4)
    client.get(article.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA)
    counting.buffer.flush()
    return article


@pytest.mark.parametrize("persona", ["admin_user", "editor"])
def test_an_article_with_ratings_and_comments_is_deleted(request, client, rated_article, persona):
    client.force_login(request.getfixturevalue(persona))
    url = f"/admin/news/article/{rated_article.pk}/delete/"
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Bạn có chắc" in html  # the confirmation, not "cannot delete"
    assert "không có quyền xóa" not in html
    for listed in ["Tổng đánh giá", "Đánh giá", "Bình luận"]:
        assert listed in html
    response = client.post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not Article.objects.filter(pk=rated_article.pk).exists()
    assert not Comment.objects.exists()
    assert not Rating.objects.exists() and not RatingTotal.objects.exists()
    # The views already counted stay in the statistics.
    assert ObjectViews.objects.filter(object_id=rated_article.pk).exists()


def test_bulk_delete_of_rated_articles(client, admin_user, rated_article):
    client.force_login(admin_user)
    response = client.post(
        "/admin/news/article/",
        {"action": "delete_selected", "_selected_action": [rated_article.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not Article.objects.exists() and not RatingTotal.objects.exists()


def test_a_rating_total_is_still_never_deleted_alone(client, admin_user, rated_article):
    client.force_login(admin_user)
    url = f"/admin/comments/ratingtotal/{rated_article.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert RatingTotal.objects.exists()


@pytest.mark.parametrize("persona", ["admin_user", "editor"])
def test_a_document_with_files_and_links_is_deleted(request, client, terms, persona):
    document = make_document(terms)
    other = make_document(terms, "Văn bản khác", code="113-HD/BTGTU")
    document.related.add(other)
    client.force_login(request.getfixturevalue(persona))
    url = f"/admin/documents/document/{document.pk}/delete/"
    assert "Bạn có chắc" in client.get(url).content.decode()
    assert client.post(url, {"post": "yes"}).status_code == 302
    assert not Document.objects.filter(pk=document.pk).exists()
    assert not DocumentFile.objects.filter(document_id=document.pk).exists()
    assert list(other.related.all()) == []
