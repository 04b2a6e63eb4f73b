"""Edit locks: the first editor to open an article holds it; others read, and their save is
refused with "Bài viết đang được sửa bởi X từ HH:MM" and their text kept; a save over a
newer row is refused once; takeover needs the permission; leaving, saving or idling frees."""

import html as htmllib
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from locks.models import EditLock
from news.models import Article
from portal import roles
from tests.conftest import BROWSER_UA, make_article, make_category, make_user
from tests.news.test_admin import form_data

pytestmark = pytest.mark.django_db


def staff_client(user):
    client = Client(HTTP_USER_AGENT=BROWSER_UA)
    client.force_login(user)
    return client


@pytest.fixture
def category():
    return make_category("Thời sự")


@pytest.fixture
def article(category):
    return make_article("Bài gốc", category=category, status=Article.Status.DRAFT)


@pytest.fixture
def second_editor(db):
    return make_user("bientap2", group=roles.EDITOR)


def change_url(article):
    return reverse("admin:news_article_change", args=[article.pk])


def open_form(client, article):
    page = client.get(change_url(article))
    assert page.status_code == 200
    text = page.content.decode()
    base = re.search(r'name="_edit_base" value="([^"]*)"', text).group(1)
    return text, htmllib.unescape(base)


def save(client, article, category, base, **fields):
    data = form_data(category, title=fields.pop("title", "Bài gốc"), **fields)
    data["_edit_base"] = base
    return client.post(change_url(article), data)


def test_second_editor_sees_who_edits_and_cannot_save_over(
    editor, second_editor, article, category
):
    first, second = staff_client(editor), staff_client(second_editor)
    open_form(first, article)
    since = timezone.localtime(EditLock.objects.get().since)
    text, base = open_form(second, article)
    assert f"Bài viết đang được sửa bởi bientap từ {since:%H:%M}" in text
    response = save(second, article, category, base, title="Chữ của người thứ hai")
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Bài viết đang được sửa bởi bientap từ {since:%H:%M}" in page
    assert 'value="Chữ của người thứ hai"' in page  # their text is still in the form
    article.refresh_from_db()
    assert article.title == "Bài gốc"


def test_saving_releases_the_lock(editor, article, category):
    client = staff_client(editor)
    _, base = open_form(client, article)
    assert EditLock.objects.filter(user=editor).exists()
    response = save(client, article, category, base, title="Đã sửa")
    assert response.status_code == 302
    assert not EditLock.objects.exists()
    article.refresh_from_db()
    assert article.title == "Đã sửa"


def test_a_save_over_a_newer_version_is_refused_once_with_the_text_kept(
    editor, second_editor, article, category
):
    first, second = staff_client(editor), staff_client(second_editor)
    _, first_base = open_form(first, article)
    _, second_base = open_form(second, article)  # locked, but the form is open
    assert (
        save(first, article, category, first_base, title="Bản của người thứ nhất").status_code
        == 302
    )
    # The lock is free now, but the second form was opened on the older row.
    response = save(second, article, category, second_base, title="Bản của người thứ hai")
    page = response.content.decode()
    assert response.status_code == 200
    assert "Bài viết đã được bientap lưu lúc" in page
    assert 'value="Bản của người thứ hai"' in page
    article.refresh_from_db()
    assert article.title == "Bản của người thứ nhất"
    # The refusal showed the newer base: saving again is a choice, and it goes through.
    new_base = htmllib.unescape(re.search(r'name="_edit_base" value="([^"]*)"', page).group(1))
    assert (
        save(second, article, category, new_base, title="Bản của người thứ hai").status_code == 302
    )
    article.refresh_from_db()
    assert article.title == "Bản của người thứ hai"


def test_takeover_needs_the_permission(editor, article, category, db):
    reporter = make_user("phongvien", group=roles.REPORTER)
    article.created_by = reporter
    article.save()
    holder = staff_client(editor)
    open_form(holder, article)
    intruder = staff_client(reporter)
    url = reverse("admin:news_article_lock_take_over", args=[article.pk])
    response = intruder.post(url)
    assert response.status_code == 403
    assert "Bạn không có quyền tiếp quản" in response.content.decode()
    assert EditLock.objects.get().user == editor


def test_takeover_moves_the_lock_and_tells_the_previous_holder_on_save(
    editor, second_editor, article, category
):
    first, second = staff_client(editor), staff_client(second_editor)
    _, base = open_form(first, article)
    text, _ = open_form(second, article)
    assert "Tiếp quản việc sửa" in text
    response = second.post(reverse("admin:news_article_lock_take_over", args=[article.pk]))
    assert response.status_code == 302
    assert EditLock.objects.get().user == second_editor
    response = save(first, article, category, base, title="Chữ của người bị tiếp quản")
    page = response.content.decode()
    assert "bientap2 đã tiếp quản việc sửa bài viết này lúc" in page
    assert 'value="Chữ của người bị tiếp quản"' in page
    article.refresh_from_db()
    assert article.title == "Bài gốc"


def test_an_idle_lock_lapses_and_the_keepalive_renews_it(editor, second_editor, article):
    first, second = staff_client(editor), staff_client(second_editor)
    open_form(first, article)
    old = timezone.now() - timedelta(minutes=4)
    EditLock.objects.update(renewed_at=old)
    assert first.post(reverse("session-keepalive")).status_code == 200
    assert EditLock.objects.get().renewed_at > old  # renewed by the session keep-alive
    EditLock.objects.update(renewed_at=timezone.now() - timedelta(minutes=6))
    text, _ = open_form(second, article)
    assert "đang được sửa bởi" not in text
    assert EditLock.objects.get().user == second_editor


def test_leaving_the_page_releases_the_lock(editor, article):
    client = staff_client(editor)
    open_form(client, article)
    response = client.post(reverse("admin:news_article_lock_release", args=[article.pk]))
    assert response.status_code == 204
    assert not EditLock.objects.exists()


def test_documents_are_locked_too(editor, second_editor, db):
    from documents.models import DocumentType, IssuingBody
    from tests.documents.conftest import make_document

    terms = {
        "hd": DocumentType.objects.create(name="Hướng dẫn", slug="huong-dan"),
        "btgtu": IssuingBody.objects.create(name="Ban Tuyên giáo", slug="btg"),
    }
    document = make_document(terms, signer=None, topics=(), with_file=False)
    url = reverse("admin:documents_document_change", args=[document.pk])
    assert staff_client(editor).get(url).status_code == 200
    page = staff_client(second_editor).get(url).content.decode()
    assert "Văn bản đang được sửa bởi bientap từ" in page
