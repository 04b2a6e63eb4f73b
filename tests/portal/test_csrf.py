"""A form sent without its security token: a clear Vietnamese page, nothing saved."""

import pytest
from django.test import Client

from comments.models import Comment
from tests.comments.conftest import comment_data, post_url
from tests.conftest import BROWSER_UA, form_tokens, make_article

pytestmark = pytest.mark.django_db


def test_comment_without_the_token_is_refused_in_vietnamese(django_assert_max_num_queries):
    article = make_article("Hội nghị tổng kết công tác tuyên giáo")
    reader = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10"
    )
    with django_assert_max_num_queries(1):  # at most the session; the page reads nothing
        response = reader.post(post_url(article), comment_data(article))
    assert response.status_code == 403
    html = response.content.decode()
    assert (
        "Phiên làm việc đã hết hạn hoặc biểu mẫu không hợp lệ. Hãy tải lại trang và thử lại."
        in html
    )
    assert "CSRF" not in html  # Django's English reason is for developers (DEBUG) only
    assert not Comment.objects.exists()


def test_the_same_comment_with_the_token_goes_through(db):
    article = make_article("Hội nghị tổng kết công tác tuyên giáo")
    reader = Client(
        enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="203.113.1.10"
    )
    html = reader.get(article.get_absolute_url()).content.decode()
    token = form_tokens(reader, html)["csrf"]
    response = reader.post(
        post_url(article), {**comment_data(article), "csrfmiddlewaretoken": token}
    )
    assert response.status_code == 302
    assert Comment.objects.get().status == "pending"
