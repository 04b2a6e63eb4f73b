"""What the article page and the article lists show, and what they cost in queries."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment
from tests.comments.conftest import make_comment
from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db


def add_comments(article, n, *, with_replies=True):
    """n approved comments a minute apart (oldest first), every third with a staff reply."""
    start = timezone.now() - timedelta(days=1)
    comments = Comment.objects.bulk_create(
        [
            Comment(
                article=article, name=f"Bạn đọc {i}", email=f"r{i}@example.vn",
                body=f"Ý kiến số {i}", status="approved",
                created_at=start + timedelta(minutes=i),
            )
            for i in range(n)
        ]
    )  # fmt: skip
    if with_replies:
        Comment.objects.bulk_create(
            [
                Comment(
                    article=article, parent=c, name="Ban biên tập", email="bbt@example.vn",
                    body=f"Trả lời ý kiến {c.body}", status="approved", by_staff=True,
                    created_at=c.created_at + timedelta(seconds=30),
                )
                for c in comments[::3]
            ]
        )  # fmt: skip
    services.comments_recount(article_ids=[article.pk])
    article.refresh_from_db()
    return comments


def test_approved_comments_oldest_first_with_staff_replies(reader_client, article):
    add_comments(article, 4)
    make_comment(article, "Ý kiến bị từ chối", status="rejected")
    make_comment(article, "Ý kiến thư rác", status="spam")
    make_comment(article, "Ý kiến chờ duyệt", status="pending")
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert html.index("Ý kiến số 0") < html.index("Ý kiến số 1") < html.index("Ý kiến số 3")
    assert "Trả lời ý kiến Ý kiến số 0" in html and "Trả lời ý kiến Ý kiến số 3" in html
    assert '<span class="badge staff">Ban biên tập</span>' in html
    for hidden in ("bị từ chối", "thư rác", "chờ duyệt", "@example.vn"):
        assert hidden not in html
    # 4 comments + 2 replies
    assert 'Ý kiến bạn đọc <span class="comment-count">(6)</span>' in html


def test_comments_are_paginated(reader_client, article):
    add_comments(article, 45, with_replies=False)
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Ý kiến số 19<" in html and "Ý kiến số 20<" not in html
    assert "Trang 1/3" in html and "?trang-y-kien=2#y-kien" in html
    html = reader_client.get(article.get_absolute_url(), {"trang-y-kien": "3"}).content.decode()
    assert "Ý kiến số 44<" in html and "Ý kiến số 39<" not in html
    # A bad page number shows the nearest page, never an error for the whole article.
    for bad in ("abc", "-1", "999"):
        response = reader_client.get(article.get_absolute_url(), {"trang-y-kien": bad})
        assert response.status_code == 200


def test_lists_show_the_approved_comment_count(
    reader_client, article, django_capture_on_commit_callbacks
):
    category = article.category
    add_comments(article, 3, with_replies=False)
    make_comment(article, "Ý kiến chờ duyệt", status="pending")
    html = reader_client.get(category.get_absolute_url()).content.decode()
    assert '<span class="comment-count">3 bình luận</span>' in html
    with django_capture_on_commit_callbacks(execute=True):  # the moderator's commit
        services.comments_moderate(
            comment_ids=Comment.objects.filter(status="pending").values_list("pk", flat=True),
            status="approved",
        )
    html = reader_client.get(category.get_absolute_url()).content.decode()
    assert '<span class="comment-count">4 bình luận</span>' in html


def test_article_without_comments_shows_an_invitation(reader_client, article):
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Ý kiến bạn đọc" in html
    assert "Chưa có ý kiến nào. Mời bạn gửi ý kiến đầu tiên." in html
    assert 'class="comment-form"' in html
    assert "js/comments" in html and "<script>" not in html  # no inline script


def test_staff_preview_of_a_draft_has_no_comment_form(client, editor, db):
    draft = make_article("Bản nháp", status="draft")
    client.force_login(editor)
    html = client.get(draft.get_absolute_url()).content.decode()
    assert "Bản xem trước" in html
    assert 'class="comment-form"' not in html


def test_plain_article_view_sets_no_session(reader_client, article):
    add_comments(article, 2)
    response = reader_client.get(article.get_absolute_url())
    assert "sessionid" not in response.cookies


# Query counts. The comments block adds at most: the rating total; the count of top-level
# comments, their page, and the replies of that page (one query each) -- the same for 2
# comments as for 200. The first page of comments, what most readers see, is then served
# from the cache until a moderator changes it.


def _comment_queries(client, url, *, warm=True):
    if warm:
        client.get(url)  # warm the shared blocks' cache (and the comments' first page)
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    sql = [q["sql"] for q in ctx.captured_queries]
    ours = [s for s in sql if "comments_" in s]
    return len(sql), ours


def test_article_page_queries_are_the_same_for_2_and_200_comments(reader_client,
                                                                  django_assert_num_queries):  # fmt: skip
    category = make_category("Thời sự")
    few = make_article("Bài có hai ý kiến", category=category)
    many = make_article("Bài có hai trăm ý kiến", category=category)
    add_comments(few, 2)
    add_comments(many, 200)
    # A later page is never cached: rating total; count; page; replies of the page.
    total_few, ours_few = _comment_queries(
        reader_client, few.get_absolute_url() + "?trang-y-kien=2"
    )
    total_many, ours_many = _comment_queries(
        reader_client, many.get_absolute_url() + "?trang-y-kien=2"
    )
    assert len(ours_few) == len(ours_many) == 4, ours_many
    assert total_few == total_many
    # The first page: the same four queries the first time, then only the rating total.
    cold = []
    for article in (few, many):
        reader_client.get(article.category.get_absolute_url())  # warm the shared blocks
        cold.append(_comment_queries(reader_client, article.get_absolute_url(), warm=False))
    assert cold[0][0] == cold[1][0] and len(cold[0][1]) == len(cold[1][1]) == 4
    warm_few = _comment_queries(reader_client, few.get_absolute_url())
    warm_many = _comment_queries(reader_client, many.get_absolute_url())
    assert warm_few[0] == warm_many[0] and len(warm_few[1]) == len(warm_many[1]) == 1
    with django_assert_num_queries(warm_many[0]):
        html = reader_client.get(many.get_absolute_url()).content.decode()
    assert 'Ý kiến bạn đọc <span class="comment-count">(267)</span>' in html  # 200 + 67 replies
    assert "Ý kiến số 19<" in html


def test_cached_first_page_changes_with_every_moderation(reader_client, article, moderator,
                                                         django_capture_on_commit_callbacks):  # fmt: skip
    first, second = add_comments(article, 2, with_replies=False)
    assert "Ý kiến số 1<" in reader_client.get(article.get_absolute_url()).content.decode()
    # The cached list is renewed when the moderation commits.
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_moderate(comment_ids=[second.pk], status="rejected")
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Ý kiến số 1<" not in html and "Ý kiến số 0<" in html
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_reply(parent=first, user=moderator, body="Trả lời mới của ban biên tập")
    assert (
        "Trả lời mới của ban biên tập"
        in reader_client.get(article.get_absolute_url()).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.comments_delete(comment_ids=[first.pk])
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Ý kiến số 0<" not in html and "Chưa có ý kiến nào" in html


def test_article_page_without_comments_costs_one_query_more(reader_client, article):
    _total, ours = _comment_queries(reader_client, article.get_absolute_url())
    assert len(ours) == 1  # the rating total only


def test_author_with_waiting_comments_costs_one_query_more(reader_client, article):
    from tests.comments.conftest import comment_data, post_url

    add_comments(article, 2)
    reader_client.post(post_url(article), comment_data(article))
    _total, ours = _comment_queries(reader_client, article.get_absolute_url())
    assert len(ours) == 2  # rating total; the author's waiting comments (list cached)


@pytest.mark.parametrize("extra", [0, 40])
def test_category_list_queries_do_not_grow(
    reader_client, article, extra, django_assert_num_queries
):
    for i in range(extra):
        a = make_article(f"Bài {i}", category=article.category)
        Comment.objects.create(article=a, name="A", email="a@example.vn", body="Ý kiến hay",
                               status="approved")  # fmt: skip
    services.comments_recount(article_ids=Comment.objects.values_list("article_id", flat=True))
    url = article.category.get_absolute_url()
    reader_client.get(url)
    with CaptureQueriesContext(connection) as ctx:
        html = reader_client.get(url).content.decode()
    assert not [q for q in ctx.captured_queries if "comments_" in q["sql"]]
    if extra:
        assert "1 bình luận" in html
