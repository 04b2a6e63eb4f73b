"""Hostile and careless inputs: each is answered with a 4xx or a form error, in Vietnamese,
the reader's text is kept, and nothing is stored (or it is stored as plain text only)."""

import time

import pytest
from django.test import Client

from comments import captcha, spam
from comments.models import BlockedWord, Comment
from tests.comments.conftest import captcha_data, comment_data, post_url, set_moderation
from tests.conftest import BROWSER_UA, make_article

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert(1)</script>"
IMG = '<img src=x onerror="alert(1)">'


def refused(response, status=400):
    assert response.status_code == status, response.content.decode()[:500]
    assert Comment.objects.count() == 0
    return response.content.decode()


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
@pytest.mark.parametrize("field", ["name", "email", "body"])
def test_markup_in_any_field_is_a_form_error(reader_client, article, field, payload):
    value = f"Nội dung bình thường {payload} tiếp theo"
    html = refused(reader_client.post(post_url(article), comment_data(article, **{field: value})))
    assert "<script>alert(1)</script>" not in html and "<img src=x" not in html
    assert "&lt;" in html  # the text is kept, escaped
    assert 'class="errorlist' in html


@pytest.mark.parametrize("payload", [SCRIPT, IMG])
def test_markup_in_hidden_fields_is_refused(reader_client, article, payload):
    for field in ("website", "opened"):
        html = refused(
            reader_client.post(post_url(article), comment_data(article, **{field: payload}))
        )
        assert "<script>alert(1)</script>" not in html and "<img src=x" not in html


def test_text_is_stored_and_shown_as_plain_text(reader_client, article):
    set_moderation("none")
    body = 'Xem tại https://vi.wikipedia.org/wiki/Bình_Phước & "so sánh" a < b\nDòng hai'
    assert (
        reader_client.post(post_url(article), comment_data(article, body=body)).status_code == 302
    )
    assert Comment.objects.get().body == body
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert (
        "Xem tại https://vi.wikipedia.org/wiki/Bình_Phước &amp; &quot;so sánh&quot; a &lt; b<br>Dòng hai"
        in html
    )
    assert 'href="https://vi.wikipedia.org' not in html  # links are not clickable


def test_hundred_thousand_characters_are_refused_and_kept(reader_client, article):
    body = "Rất dài. " * 11_112  # 100,008 characters
    html = refused(reader_client.post(post_url(article), comment_data(article, body=body)))
    assert "Ý kiến dài tối đa 2.000 ký tự" in html
    assert "Rất dài. Rất dài." in html


def test_too_short_text_is_refused(reader_client, article):
    html = refused(reader_client.post(post_url(article), comment_data(article, body="  hay \n ")))
    assert "Ý kiến cần ít nhất 5 ký tự." in html


@pytest.mark.parametrize("field", ["name", "email", "body"])
def test_nul_bytes_are_refused(reader_client, article, field):
    data = comment_data(article)
    data[field] = data[field][:3] + "\x00" + data[field][3:]
    html = refused(reader_client.post(post_url(article), data))
    assert "ký tự không hợp lệ" in html


@pytest.mark.parametrize("email", ["khong-phai-email", "a@", "@b.vn", "a b@c.vn", ""])
def test_invalid_email_is_refused(reader_client, article, email):
    html = refused(reader_client.post(post_url(article), comment_data(article, email=email)))
    assert "email" in html and ("không hợp lệ" in html or "Vui lòng nhập email." in html)


def test_missing_name_is_refused(reader_client, article):
    html = refused(reader_client.post(post_url(article), comment_data(article, name=" ")))
    assert "Vui lòng nhập họ và tên." in html


def test_honeypot_filled_is_refused(reader_client, article):
    html = refused(
        reader_client.post(post_url(article), comment_data(article, website="http://spam.example"))
    )
    assert "điền tự động" in html
    assert "Bài viết rất hay và bổ ích." in html  # kept


def test_posting_faster_than_a_person_is_refused_then_accepted(reader_client, article):
    fresh = spam.make_form_token(article.pk)  # the form was shown just now
    html = refused(reader_client.post(post_url(article), comment_data(article, opened=fresh)))
    assert "Bạn gửi quá nhanh" in html
    assert "Bài viết rất hay và bổ ích." in html
    # The form shown again carries a new token; sent a few seconds later it goes through.
    later = spam.make_form_token(article.pk, issued_at=time.time() - 4)
    assert (
        reader_client.post(post_url(article), comment_data(article, opened=later)).status_code
        == 302
    )


def test_every_problem_of_a_post_is_reported_at_once_the_timing_included(
    reader_client, article, settings
):
    settings.COMMENT_CAPTCHA = True
    BlockedWord.objects.create(word="cờ bạc")
    data = comment_data(
        article, email="", body="Quảng cáo cờ bạc ở đây.", opened=spam.make_form_token(article.pk)
    )
    data.update({**captcha_data(article), "captcha": "SAI"})
    html = refused(reader_client.post(post_url(article), data))
    summary = html[
        html.index('class="error-summary"') : html.index(
            "</div>", html.index('class="error-summary"')
        )
    ]
    for message in [
        "Bạn gửi quá nhanh",
        "Email: Vui lòng nhập email.",
        "Mã xác nhận: Mã xác nhận chưa đúng.",
        "từ ngữ không phù hợp",
    ]:
        assert message in summary, message
    assert 'href="#id_email"' in summary  # each names its field and leads to it


def test_missing_forged_or_foreign_form_token_is_refused(reader_client, article):
    other = make_article("Bài khác")
    for token in ["", "abc", spam.make_form_token(other.pk, issued_at=time.time() - 10)]:
        refused(reader_client.post(post_url(article), comment_data(article, opened=token)))


def test_too_many_links_are_refused(reader_client, article):
    body = "Mua ngay tại http://a.example, www.b.example và c-shop.xyz giá rẻ"
    html = refused(reader_client.post(post_url(article), comment_data(article, body=body)))
    assert "chỉ được phép tối đa 2 liên kết" in html


def test_blocked_words_from_the_admin_are_refused(reader_client, article):
    BlockedWord.objects.create(word="Cờ Bạc")
    html = refused(
        reader_client.post(
            post_url(article), comment_data(article, body="Tham gia CỜ BẠC trực tuyến nhé")
        )
    )
    assert "từ ngữ không phù hợp" in html
    assert "Tham gia CỜ BẠC trực tuyến nhé" in html
    # A whole word only: "cờ bạc" does not block "cờ bạch..." style near misses.
    ok = reader_client.post(
        post_url(article), comment_data(article, body="Lá cờ bạch kim tung bay")
    )
    assert ok.status_code == 302
    BlockedWord.objects.all().delete()  # the cache is cleared with the list
    assert spam.find_blocked_word("Tham gia cờ bạc") is None


def test_captcha_off_by_default_has_no_image(reader_client, article):
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Mã xác nhận" not in html


def test_captcha_on_requires_the_right_answer(reader_client, article, settings):
    settings.COMMENT_CAPTCHA = True
    html = reader_client.get(article.get_absolute_url()).content.decode()
    assert "Mã xác nhận" in html and "/binh-luan/ma-xac-nhan/" in html
    image_url = html.split('src="/binh-luan/ma-xac-nhan/')[1].split('"')[0]
    image = reader_client.get("/binh-luan/ma-xac-nhan/" + image_url)
    assert image.status_code == 200 and image["Content-Type"] == "image/png"
    assert image.content[:8] == b"\x89PNG\r\n\x1a\n"

    html = refused(reader_client.post(post_url(article), comment_data(article)))
    assert "Mã xác nhận chưa đúng" in html
    wrong = {**captcha_data(article), "captcha": "AAAAA"}
    refused(reader_client.post(post_url(article), comment_data(article, **wrong)))
    other = make_article("Bài khác")
    foreign = captcha_data(other)  # solved, but for another article
    refused(reader_client.post(post_url(article), comment_data(article, **foreign)))

    right = captcha_data(article)
    right["captcha"] = right["captcha"].lower()  # case does not matter
    assert reader_client.post(post_url(article), comment_data(article, **right)).status_code == 302


def test_captcha_image_for_a_bad_token_is_404(reader_client, db):
    assert reader_client.get("/binh-luan/ma-xac-nhan/gia-mao/").status_code == 404
    assert captcha.answer("gia-mao") is None


def test_comment_for_an_article_that_forbids_it_is_403(reader_client, db):
    closed = make_article("Bài không nhận bình luận", allow_comments=False)
    html = refused(reader_client.post(post_url(closed), comment_data(closed)), 403)
    assert "không nhận ý kiến bạn đọc" in html


@pytest.mark.parametrize("slug", ["khong-co-bai-nay", "ban-nhap"])
def test_comment_for_a_missing_or_unpublished_article_is_404(reader_client, db, slug):
    make_article("Bản nháp", status="draft", slug="ban-nhap")
    response = reader_client.post(f"/bai-viet/{slug}/binh-luan/", {"name": "An"})
    assert response.status_code == 404
    assert Comment.objects.count() == 0


def test_get_on_the_post_url_is_405(reader_client, article):
    assert reader_client.get(post_url(article)).status_code == 405


def test_post_without_csrf_token_is_403(article):
    client = Client(enforce_csrf_checks=True, HTTP_USER_AGENT=BROWSER_UA)
    response = client.post(post_url(article), comment_data(article))
    assert response.status_code == 403
    assert Comment.objects.count() == 0


def test_robots_cannot_post(client, article):
    response = client.post(post_url(article), comment_data(article), HTTP_USER_AGENT="curl/8.0")
    html = refused(response, 403)
    assert "chương trình tự động" in html


def test_flood_of_50_comments_on_one_article_stores_one(reader_client, article):
    statuses = [
        reader_client.post(
            post_url(article), comment_data(article, body=f"Ý kiến số {i} của tôi")
        ).status_code
        for i in range(50)
    ]
    assert statuses[0] == 302
    assert statuses[1:] == [429] * 49
    assert Comment.objects.count() == 1
    html = reader_client.post(
        post_url(article), comment_data(article, body="Ý kiến thứ năm mươi mốt")
    ).content.decode()
    assert "Vui lòng đợi một phút" in html
    assert "Ý kiến thứ năm mươi mốt" in html  # kept


def test_flood_of_50_comments_across_articles_stores_five(reader_client, article):
    articles = [make_article(f"Bài số {i}") for i in range(50)]
    statuses = [
        reader_client.post(post_url(a), comment_data(a, body=f"Ý kiến cho bài {i}")).status_code
        for i, a in enumerate(articles)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5:] == [429] * 45
    assert Comment.objects.count() == 5
    # Another reader is not affected.
    neighbour = Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="14.160.1.1")
    assert neighbour.post(post_url(article), comment_data(article)).status_code == 302


def test_no_raw_ip_is_stored(reader_client, article):
    reader_client.post(post_url(article), comment_data(article))
    comment = Comment.objects.get()
    assert len(bytes(comment.reader)) == 16
    stored = " ".join(str(getattr(comment, f.attname)) for f in Comment._meta.concrete_fields)
    assert "203.113.1.10" not in stored
