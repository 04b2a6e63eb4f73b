"""Moderation in the admin: the waiting list, filters, bulk and single actions, replies,
the count on the admin index, and who may do what."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from comments.models import BlockedWord, Comment
from news.models import Article
from portal import roles
from tests.comments.conftest import make_comment
from tests.conftest import make_article

pytestmark = pytest.mark.django_db

LIST = "/admin/comments/comment/"


@pytest.fixture
def staff(client, moderator):
    client.force_login(moderator)
    return client


def count(article):
    return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)


def test_migration_created_the_moderators_group_with_its_permissions(moderator):
    group = Group.objects.get(name=roles.MODERATOR)
    codes = set(group.permissions.values_list("codename", flat=True))
    assert {"change_comment", "delete_comment", "add_blockedword"} <= codes
    assert "change_article" not in codes


def test_index_shows_how_many_comments_are_waiting(staff, article):
    make_comment(article, "Chờ một", status="pending")
    make_comment(article, "Chờ hai", status="pending")
    make_comment(article, "Đã duyệt")
    html = staff.get("/admin/").content.decode()
    assert "Bình luận (2 chờ duyệt)" in html
    assert f"{LIST}?status__exact=pending" in html


def test_list_puts_the_newest_waiting_first(staff, article):
    now = timezone.now()
    make_comment(article, "Đã duyệt mới nhất", created_at=now)
    make_comment(article, "Chờ duyệt cũ", status="pending", created_at=now - timedelta(hours=2))
    make_comment(article, "Chờ duyệt mới", status="pending", created_at=now - timedelta(hours=1))
    html = staff.get(LIST).content.decode()
    assert (
        html.index("Chờ duyệt mới") < html.index("Chờ duyệt cũ") < html.index("Đã duyệt mới nhất")
    )


def test_list_filters_by_status_article_and_date(staff, article):
    other = make_article("Bài viết khác hẳn")
    make_comment(article, "Ý kiến bài một", status="pending")
    make_comment(other, "Ý kiến bài hai")
    old = make_comment(other, "Ý kiến năm ngoái", status="pending")
    Comment.objects.filter(pk=old.pk).update(created_at=timezone.now() - timedelta(days=400))

    html = staff.get(LIST, {"status__exact": "approved"}).content.decode()
    assert "Ý kiến bài hai" in html and "Ý kiến bài một" not in html
    html = staff.get(LIST, {"article__id__exact": article.pk}).content.decode()
    assert "Ý kiến bài một" in html and "Ý kiến bài hai" not in html
    year = (timezone.now() - timedelta(days=400)).year
    html = staff.get(LIST, {"created_at__year": year}).content.decode()
    assert "Ý kiến năm ngoái" in html and "Ý kiến bài một" not in html


@pytest.mark.parametrize(
    "action, status", [("approve", "approved"), ("reject", "rejected"), ("mark_spam", "spam")]
)
def test_bulk_actions_change_status_and_count(staff, article, action, status):
    comments = [make_comment(article, f"Ý kiến {i}", status="pending") for i in range(3)]
    response = staff.post(
        LIST, {"action": action, "_selected_action": [c.pk for c in comments[:2]]}, follow=True
    )
    assert response.status_code == 200
    assert Comment.objects.filter(status=status).count() == 2
    assert count(article) == (2 if status == "approved" else 0)


def test_one_by_one_from_the_change_page(staff, article, moderator):
    comment = make_comment(article, "Ý kiến cần duyệt", status="pending")
    url = f"{LIST}{comment.pk}/change/"
    assert "Ý kiến cần duyệt" in staff.get(url).content.decode()
    response = staff.post(url, {"status": "approved", "reply": ""})
    assert response.status_code == 302
    comment.refresh_from_db()
    assert comment.status == "approved" and comment.moderated_by == moderator
    assert count(article) == 1


def test_staff_reply_from_the_change_page_is_published_under_the_comment(staff, article, client):
    comment = make_comment(article, "Xin hỏi lịch tiếp công dân?")
    staff.post(
        f"{LIST}{comment.pk}/change/",
        {"status": "approved", "reply": "Lịch tiếp công dân vào thứ Năm hằng tuần."},
    )
    reply = Comment.objects.get(parent=comment)
    assert reply.by_staff and reply.status == "approved"
    assert count(article) == 2
    client.logout()
    html = client.get(article.get_absolute_url()).content.decode()
    assert "Lịch tiếp công dân vào thứ Năm hằng tuần." in html


def test_delete_one_and_in_bulk_keeps_the_count_right(staff, article):
    a, b, c = (make_comment(article, f"Ý kiến {i}") for i in range(3))
    assert count(article) == 3
    staff.post(f"{LIST}{a.pk}/delete/", {"post": "yes"})
    assert count(article) == 2
    staff.post(LIST, {"action": "delete_selected", "_selected_action": [b.pk, c.pk], "post": "yes"})
    assert Comment.objects.count() == 0
    assert count(article) == 0


def test_moderators_manage_blocked_words(staff):
    response = staff.post("/admin/comments/blockedword/add/", {"word": "  Lừa   Đảo ", "note": ""})
    assert response.status_code == 302
    assert BlockedWord.objects.get().word == "lừa đảo"


def test_readers_and_reporters_cannot_moderate(client, reporter, article):
    comment = make_comment(article, "Ý kiến", status="pending")
    client.force_login(reporter)
    assert client.get(LIST).status_code == 403
    client.post(LIST, {"action": "approve", "_selected_action": [comment.pk]})
    comment.refresh_from_db()
    assert comment.status == "pending"


def test_nobody_adds_comments_in_the_admin(staff):
    assert staff.get(f"{LIST}add/").status_code == 403
