"""A reader posts a comment: held for moderation, seen only by its author, counted once
published, and the moderators hear about it."""

import pytest
from django.core import mail
from django.test import Client

from comments import services
from comments.models import Comment
from news.models import Article
from pages import site
from pages.models import SiteSettings
from tests.comments.conftest import comment_data, make_comment, post_url, set_moderation
from tests.conftest import BROWSER_UA, make_article

pytestmark = pytest.mark.django_db


def other_reader():
    return Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="113.161.7.7")


def test_comment_is_held_and_shown_only_to_its_author(reader_client, article):
    response = reader_client.post(post_url(article), comment_data(article))
    assert response.status_code == 302
    assert response["Location"] == f"{article.get_absolute_url()}#y-kien"
    comment = Comment.objects.get()
    assert comment.status == Comment.Status.PENDING
    assert comment.name == "Nguyễn Văn An" and comment.email == "an@example.vn"
    assert comment.body == "Bài viết rất hay và bổ ích.\nCảm ơn Ban biên tập."

    html = reader_client.get(response["Location"]).content.decode()
    assert "đang chờ kiểm duyệt" in html  # the notice after the redirect
    assert "Đang chờ kiểm duyệt" in html  # the badge on the comment itself
    assert "Bài viết rất hay và bổ ích.<br>Cảm ơn Ban biên tập." in html
    assert "an@example.vn" not in html

    html = other_reader().get(article.get_absolute_url()).content.decode()
    assert "Bài viết rất hay" not in html
    assert "Chưa có ý kiến nào" in html


def test_a_forged_waiting_cookie_shows_nothing(reader_client, article):
    held = make_comment(article, "Bình luận của người khác đang chờ", status="pending")
    reader_client.cookies["bp_cho_duyet"] = str(held.pk)  # unsigned: ignored
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Bình luận của người khác" not in html


def test_approved_comment_is_published_and_counted(reader_client, article, moderator):
    reader_client.post(post_url(article), comment_data(article))
    comment = Comment.objects.get()
    article.refresh_from_db()
    assert article.comment_count == 0

    services.comments_moderate(comment_ids=[comment.pk], status="approved", user=moderator)
    article.refresh_from_db()
    assert article.comment_count == 1
    html = other_reader().get(article.get_absolute_url()).content.decode()
    assert 'Ý kiến bạn đọc <span class="comment-count">(1)</span>' in html
    assert "Bài viết rất hay và bổ ích." in html
    assert "Đang chờ kiểm duyệt" not in html
    # The author sees it once, as published, no longer as waiting.
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert html.count("Bài viết rất hay và bổ ích.") == 1
    assert "Đang chờ kiểm duyệt" not in html


def test_count_follows_every_moderation_step(article, moderator):
    a = make_comment(article, "Ý kiến thứ nhất", status="pending")
    b = make_comment(article, "Ý kiến thứ hai", status="pending")

    def count():
        return Article.objects.values_list("comment_count", flat=True).get(pk=article.pk)

    assert services.comments_moderate(comment_ids=[a.pk, b.pk], status="approved") == 2
    assert count() == 2
    # Approving again changes nothing and counts nothing twice.
    assert services.comments_moderate(comment_ids=[a.pk], status="approved") == 0
    assert count() == 2
    reply = services.comment_reply(parent=a, user=moderator, body="Cảm ơn bạn đã góp ý.")
    assert reply.parent_id == a.pk and reply.by_staff and reply.status == "approved"
    assert count() == 3
    # A rejected comment takes its visible replies with it.
    services.comments_moderate(comment_ids=[a.pk], status="rejected")
    assert count() == 1
    services.comments_moderate(comment_ids=[a.pk], status="approved")
    assert count() == 3
    services.comments_moderate(comment_ids=[b.pk], status="spam")
    assert count() == 2
    assert services.comments_delete(comment_ids=[a.pk]) == 2  # with its reply
    assert count() == 0


def test_reply_to_a_reply_goes_under_the_first_comment(article, moderator):
    top = make_comment(article, "Ý kiến gốc của bạn đọc")
    first = services.comment_reply(parent=top, user=moderator, body="Trả lời thứ nhất")
    second = services.comment_reply(parent=first, user=moderator, body="Trả lời thứ hai")
    assert second.parent_id == top.pk


def test_moderation_setting_none_publishes_at_once(reader_client, article):
    set_moderation("none")
    response = reader_client.post(post_url(article), comment_data(article))
    comment = Comment.objects.get()
    assert comment.status == "approved"
    assert response["Location"] == f"{article.get_absolute_url()}#binh-luan-{comment.pk}"
    article.refresh_from_db()
    assert article.comment_count == 1
    assert "đã được đăng" in reader_client.get(article.get_absolute_url()).content.decode()


def test_moderation_setting_guests_holds_only_guests(reader_client, article, editor):
    set_moderation("guests")
    reader_client.post(post_url(article), comment_data(article))
    assert Comment.objects.get().status == "pending"
    staff = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="10.0.0.9")
    staff.force_login(editor)
    staff.post(post_url(article), comment_data(article, name="Biên tập viên"))
    assert Comment.objects.get(name="Biên tập viên").status == "approved"


def test_unknown_stored_moderation_mode_holds_every_comment(reader_client, article):
    set_moderation("none")
    # Only a hand edit of the database can store this; the admin offers the three modes.
    SiteSettings.objects.update(comment_moderation="sometimes")
    site.invalidate()
    reader_client.post(post_url(article), comment_data(article))
    assert Comment.objects.get().status == "pending"


def test_mode_chosen_in_the_admin_decides_the_next_comment(reader_client, article, admin_user):
    admin = Client()
    admin.force_login(admin_user)
    form = {"site_name": "Ban Tuyên giáo Tỉnh ủy Bình Phước", "comment_moderation": "none",
            "visits_offset": "0", "pageviews_offset": "0"}  # fmt: skip
    assert admin.post("/admin/pages/sitesettings/add/", form).status_code == 302
    reader_client.post(post_url(article), comment_data(article, body="Ý kiến thứ nhất"))
    assert Comment.objects.get(body="Ý kiến thứ nhất").status == "approved"

    form["comment_moderation"] = "all"
    assert admin.post("/admin/pages/sitesettings/1/change/", form).status_code == 302
    second = other_reader()  # a reader's next comment within a minute would be refused
    second.post(post_url(article), comment_data(article, body="Ý kiến thứ hai"))
    assert Comment.objects.get(body="Ý kiến thứ hai").status == "pending"


def test_moderators_get_one_email_per_quarter_hour(reader_client, article, moderator,
                                                   django_capture_on_commit_callbacks):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(post_url(article), comment_data(article))
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["kiemduyet@example.vn"]
    assert "1 bình luận đang chờ duyệt" in message.subject
    assert "/admin/comments/comment/?status__exact=pending" in message.body

    second = make_article("Bài thứ hai")
    with django_capture_on_commit_callbacks(execute=True):
        reader_client.post(post_url(second), comment_data(second))
    assert len(mail.outbox) == 1  # within 15 minutes: no second email


def test_comment_to_an_article_without_comments_shows_no_form(reader_client, db):
    closed = make_article("Bài không nhận bình luận", allow_comments=False, allow_rating=False)
    html = reader_client.get(closed.get_absolute_url()).content.decode()
    assert "Bài viết này không nhận ý kiến bạn đọc." in html
    assert 'class="comment-form"' not in html
    assert "Tổng số điểm" not in html


@pytest.mark.django_db(transaction=True)
def test_count_stays_exact_under_concurrent_posts_and_moderation():
    import secrets
    import threading

    from django.db import connection

    set_moderation("none")  # every post changes the count at once
    article = make_article("Bài được bình luận cùng lúc")
    held = [make_comment(article, f"Ý kiến chờ {i}", status="pending") for i in range(16)]
    barrier = threading.Barrier(32)
    errors = []

    def post(i):
        try:
            barrier.wait(timeout=30)
            services.comment_submit(
                article=article, name=f"Bạn đọc {i}", email="a@example.vn",
                body="Ý kiến gửi cùng lúc", reader=secrets.token_bytes(16),
            )  # fmt: skip
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    def moderate(comment, status):
        try:
            barrier.wait(timeout=30)
            services.comments_moderate(comment_ids=[comment.pk], status=status)
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=(i,)) for i in range(16)]
    threads += [
        threading.Thread(target=moderate, args=(c, "approved" if i % 2 else "spam"))
        for i, c in enumerate(held)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    article.refresh_from_db()
    assert Comment.objects.filter(article=article).public().count() == 16 + 8
    assert article.comment_count == 24
