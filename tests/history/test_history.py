"""Lịch sử: every admin save keeps a version; any two compare as a word-level text diff;
any version is restored in one action, as a new version, within the role rules."""

import re

import pytest
from django.urls import reverse
from reversion.models import Version

from audit.models import AuditEntry
from documents.models import Document
from news.models import Article
from tests.conftest import make_category
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture
from tests.documents.test_admin import form_data as document_data
from tests.documents.test_admin import upload
from tests.news.test_admin import form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:news_article_add")


def change_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def history_url(obj):
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history", args=[obj.pk])


def restore_url(obj, version):
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history_restore"
    return reverse(name, args=[obj.pk, version.pk])


def compare_url(obj, old, new):
    name = f"admin:{obj._meta.app_label}_{obj._meta.model_name}_history_compare"
    return reverse(name, args=[obj.pk]) + f"?tu={old.pk}&den={new.pk}"


def versions(obj):
    return list(Version.objects.get_for_object(obj).order_by("pk"))


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.fixture
def category():
    return make_category("Thời sự")


def write_article(client, category, **fields):
    response = client.post(ADD_URL, form_data(category, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    return Article.objects.latest("pk")


def edit(client, article, category, **fields):
    response = client.post(change_url(article), form_data(category, **fields))
    assert response.status_code == 302, response.content.decode()[:2000]
    article.refresh_from_db()


def test_each_save_keeps_a_version_listed_in_lich_su(client, editor, category):
    client.force_login(editor)
    article = write_article(client, category, title="Hội nghị tổng kết năm 2025")
    edit(client, article, category, title="Hội nghị tổng kết công tác năm 2025")
    assert len(versions(article)) == 2
    page = client.get(history_url(article))
    html = page.content.decode()
    assert page.status_code == 200
    assert html.count('data-version="') == 2
    assert "bientap" in html
    assert "Tiêu đề" in html  # what the second save changed
    assert "Khôi phục" in html


def test_compare_shows_words_removed_and_added_as_text_not_html(client, editor, category):
    client.force_login(editor)
    article = write_article(
        client, category, body="<p>Tỉnh ủy <strong>triển khai</strong> nghị quyết mới.</p>"
    )
    edit(client, article, category, body="<p>Tỉnh ủy <em>quán triệt</em> nghị quyết mới.</p>",
         summary="Tóm tắt đã sửa")  # fmt: skip
    old, new = versions(article)
    page = client.get(compare_url(article, old, new))
    html = page.content.decode()
    assert page.status_code == 200
    assert "<del>triển khai</del>" in html
    assert "<ins>quán triệt</ins>" in html
    assert "&lt;strong&gt;" not in html and "<strong>triển" not in html  # text, not tags
    assert "Tóm tắt <ins>đã sửa</ins>" in html  # only the added words are marked
    # Either order of the two picks gives the same, older-to-newer comparison.
    assert (
        client.get(compare_url(article, new, old)).content.decode().count("<ins>quán triệt</ins>")
        == 1
    )


def test_restore_puts_the_old_text_back_as_a_new_version(client, editor, category):
    client.force_login(editor)
    article = write_article(client, category, title="Tiêu đề gốc", body="<p>Đoạn gốc.</p>")
    edit(client, article, category, title="Tiêu đề bị sửa nhầm", body="<p>Đoạn sai.</p>")
    first = versions(article)[0]
    response = client.post(restore_url(article, first))
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.title == "Tiêu đề gốc"
    assert article.body == "<p>Đoạn gốc.</p>"
    history = versions(article)
    assert len(history) == 3
    assert history[-1].revision.comment.startswith("Khôi phục phiên bản lúc")
    entry = AuditEntry.objects.get(action=AuditEntry.Action.RESTORE)
    assert entry.username == "bientap" and entry.object_id == str(article.pk)
    page = client.get(change_url(article))
    assert "Đã khôi phục phiên bản lúc" in page.content.decode()


def test_reporter_cannot_restore_a_published_version(client, editor, reporter, category):
    """A reporter's draft was published by an editor, then taken back to draft: the
    reporter may edit it again, but not bring back the published version."""
    client.force_login(reporter)
    article = write_article(client, category, title="Bài của phóng viên")
    client.force_login(editor)
    edit(client, article, category, title="Bài đã duyệt", status=Article.Status.PUBLISHED)
    published = versions(article)[-1]
    edit(client, article, category, title="Bài trả lại", status=Article.Status.DRAFT)
    client.force_login(reporter)
    response = client.post(restore_url(article, published))
    assert response.status_code == 403
    assert "Phóng viên không được khôi phục một phiên bản đã xuất bản" in response.content.decode()
    article.refresh_from_db()
    assert (article.title, article.status) == ("Bài trả lại", Article.Status.DRAFT)
    assert len(versions(article)) == 3


def test_reporter_cannot_restore_onto_a_live_article(client, editor, reporter, category):
    client.force_login(reporter)
    article = write_article(client, category, title="Bản nháp đầu")
    draft = versions(article)[0]
    client.force_login(editor)
    edit(client, article, category, title="Bài đang hiện", status=Article.Status.PUBLISHED)
    client.force_login(reporter)
    response = client.post(restore_url(article, draft))
    assert response.status_code in (403, 404)
    article.refresh_from_db()
    assert (article.title, article.status) == ("Bài đang hiện", Article.Status.PUBLISHED)


def test_forged_version_of_another_article_is_404_and_changes_nothing(client, editor, category):
    client.force_login(editor)
    one = write_article(client, category, title="Bài thứ nhất")
    two = write_article(client, category, title="Bài thứ hai")
    response = client.post(restore_url(one, versions(two)[0]))
    assert response.status_code == 404
    assert "Không có phiên bản này" in response.content.decode()
    one.refresh_from_db()
    assert one.title == "Bài thứ nhất"
    assert len(versions(one)) == 1
    missing = reverse("admin:news_article_history_restore", args=[one.pk, 999999])
    assert client.post(missing).status_code == 404
    bad_compare = reverse("admin:news_article_history_compare", args=[one.pk]) + "?tu=abc&den=1"
    assert client.get(bad_compare).status_code == 404


def test_restore_is_post_only(client, editor, category):
    client.force_login(editor)
    article = write_article(client, category)
    assert client.get(restore_url(article, versions(article)[0])).status_code == 405


def test_document_versions_carry_their_files_metadata(client, editor, terms):  # noqa: F811
    client.force_login(editor)
    response = client.post(
        reverse("admin:documents_document_add"),
        document_data(terms, **{"files-0-file": upload(), "files-0-title": "Toàn văn"}),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = Document.objects.latest("pk")
    file = document.files.get()
    data = document_data(
        terms, title="Hướng dẫn đã sửa trích yếu",
        **{"files-TOTAL_FORMS": "1", "files-INITIAL_FORMS": "1", "files-0-id": file.pk,
           "files-0-document": document.pk, "files-0-title": "Toàn văn có chữ ký"},
    )  # fmt: skip
    response = client.post(change_url(document), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    old, new = versions(document)
    html = client.get(compare_url(document, old, new)).content.decode()
    assert "<ins>Hướng dẫn đã sửa trích yếu</ins>" in html or "<ins>đã sửa trích yếu</ins>" in html
    assert "Tệp đính kèm" in html
    assert "có chữ ký" in text_of(html)
    response = client.post(restore_url(document, old))
    document.refresh_from_db()
    assert document.title.startswith("Hướng dẫn tuyên truyền")


def test_history_page_queries_do_not_grow_with_versions(client, editor, category,
                                                        django_assert_max_num_queries):  # fmt: skip
    client.force_login(editor)
    article = write_article(client, category)
    for i in range(12):
        edit(client, article, category, title=f"Sửa lần {i}")
    # Session, user, permission checks, the article, the versions with their revisions and
    # users (one query), the admin menu and site block: at most 20, whatever the count.
    with django_assert_max_num_queries(20):
        assert client.get(history_url(article)).status_code == 200
