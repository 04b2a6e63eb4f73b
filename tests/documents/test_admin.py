"""Staff: reporters draft, editors publish; files as an inline, checked and replaceable."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from documents.models import Document, DocumentFile
from stats import counting
from tests.documents.conftest import make_document, small_pdf

pytestmark = pytest.mark.django_db

ADD = reverse("admin:documents_document_add")
LIST = reverse("admin:documents_document_changelist")


def form_data(terms, **overrides):
    data = {
        "code": "112-HD/BTGTU",
        "title": "Hướng dẫn tuyên truyền kỷ niệm 120 năm Ngày sinh đồng chí Trần Phú",
        "slug": "",
        "body": "",
        "doc_type": terms["hd"].pk,
        "issuer": terms["btgtu"].pk,
        "signer": terms["pho_ban"].pk,
        "topics": [terms["tuyen_truyen"].pk],
        "issued_on": "2024-04-02",
        "effective_on": "",
        "expires_on": "",
        "status": "published",
        "files-TOTAL_FORMS": "1",
        "files-INITIAL_FORMS": "0",
        "files-MIN_NUM_FORMS": "0",
        "files-MAX_NUM_FORMS": "1000",
        "files-0-title": "",
        "files-0-order": "0",
        "_save": "Lưu",
    }
    data.update(overrides)
    return data


def upload(name="112-HD-BTGTU Hướng dẫn.pdf", content=None):
    return SimpleUploadedFile(name, content if content is not None else small_pdf())


def test_editor_publishes_a_document_with_its_pdf(client, editor, terms):
    client.force_login(editor)
    response = client.post(ADD, form_data(terms, **{"files-0-file": upload()}))
    assert response.status_code == 302, response.content.decode()[:3000]
    doc = Document.objects.get()
    assert doc.status == Document.Status.PUBLISHED
    assert (
        doc.slug
        == "112-hd-btgtu-huong-dan-tuyen-truyen-ky-niem-120-nam-ngay-sinh-dong-chi-tran-phu"
    )
    assert doc.effective_on == doc.issued_on  # empty means "from the issue date"
    assert doc.created_by == editor
    file = doc.files.get()
    assert file.original_name == "112-HD-BTGTU Hướng dẫn.pdf"
    assert file.kind == "pdf" and file.size == len(small_pdf())
    assert client.get(doc.get_absolute_url()).status_code == 200


def test_an_html_page_renamed_pdf_is_refused_and_nothing_is_saved(client, editor, terms):
    client.force_login(editor)
    fake = upload("Hướng dẫn.pdf", b"<html><body>Not a PDF</body></html>")
    response = client.post(ADD, form_data(terms, **{"files-0-file": fake}))
    assert response.status_code == 200
    assert "không phải là PDF" in response.content.decode()
    assert not Document.objects.exists() and not DocumentFile.objects.exists()


def test_reporter_saves_drafts_but_cannot_publish(client, reporter, terms):
    client.force_login(reporter)
    page = client.get(ADD).content.decode()
    assert 'value="published"' not in page
    response = client.post(ADD, form_data(terms, **{"files-0-file": upload()}))
    assert response.status_code == 200
    assert not Document.objects.exists()
    response = client.post(ADD, form_data(terms, status="draft", **{"files-0-file": upload()}))
    assert response.status_code == 302
    doc = Document.objects.get()
    assert doc.status == Document.Status.DRAFT
    # Published later by an editor, the reporter can no longer change it.
    doc.status = Document.Status.PUBLISHED
    doc.save()
    change = reverse("admin:documents_document_change", args=[doc.pk])
    response = client.post(change, form_data(terms, title="Sửa trái phép", status="draft"))
    assert response.status_code == 403
    doc.refresh_from_db()
    assert doc.title != "Sửa trái phép"


def test_editor_publishes_drafts_from_the_list(client, editor, terms):
    draft = make_document(terms, status=Document.Status.DRAFT)
    client.force_login(editor)
    response = client.post(LIST, {"action": "publish", "_selected_action": [draft.pk]}, follow=True)
    assert "Đã xuất bản 1 văn bản" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == Document.Status.PUBLISHED


def test_reporter_has_no_publish_action(client, reporter, terms):
    draft = make_document(terms, status=Document.Status.DRAFT, created_by=reporter)
    client.force_login(reporter)
    client.post(LIST, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.status == Document.Status.DRAFT


def test_changelist_shows_the_columns_and_counts(client, editor, terms):
    doc = make_document(terms)
    Document.objects.filter(pk=doc.pk).update(view_count=95, download_count=83)
    client.force_login(editor)
    html = client.get(LIST).content.decode()
    for text in ["112-HD/BTGTU", "Hướng dẫn tuyên truyền", "Ban Tuyên giáo Tỉnh ủy", "95", "83"]:
        assert text in html
    assert "112-HD/BTGTU" in client.get(LIST, {"q": "BTGTU"}).content.decode()


def test_changelist_queries_do_not_grow_with_documents(client, editor, terms):
    make_document(terms)
    client.force_login(editor)
    client.get(LIST)
    with CaptureQueriesContext(connection) as one:
        assert client.get(LIST).status_code == 200
    for i in range(30):
        make_document(terms, code=f"{i}-KH/BTGTU", doc_type="kh", with_file=False)
    with CaptureQueriesContext(connection) as many:
        assert client.get(LIST).status_code == 200
    assert len(many) == len(one)


def test_replacing_a_file_in_the_admin_keeps_its_counts(
    client, editor, terms, reader_client, django_capture_on_commit_callbacks
):
    doc = make_document(terms)
    file = doc.files.get()
    reader_client.get(file.get_absolute_url())
    counting.buffer.flush()
    old_name = file.file.name
    client.force_login(editor)
    change = reverse("admin:documents_document_change", args=[doc.pk])
    page = client.get(change).content.decode()
    assert file.get_absolute_url() in page  # the stored file links to the download view
    data = form_data(
        terms,
        **{
            "files-INITIAL_FORMS": "1",
            "files-0-id": file.pk,
            "files-0-document": doc.pk,
            "files-0-file": upload("Hướng dẫn (bản sửa).pdf"),
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    file.refresh_from_db()
    assert file.download_count == 1
    assert file.original_name == "Hướng dẫn (bản sửa).pdf"
    assert file.file.name != old_name
    assert not file.file.storage.exists(old_name)
    assert file.file.storage.exists(file.file.name)


def test_deleting_a_document_removes_its_files_from_disk(
    client, editor, terms, django_capture_on_commit_callbacks
):
    doc = make_document(terms)
    file = doc.files.get()
    storage, name = file.file.storage, file.file.name
    assert storage.exists(name)
    client.force_login(editor)
    delete = reverse("admin:documents_document_delete", args=[doc.pk])
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete, {"post": "yes"}).status_code == 302
    assert not storage.exists(name)


def test_an_expiry_without_an_effective_date_counts_from_the_issue_date(client, editor, terms):
    client.force_login(editor)
    data = form_data(terms, expires_on="2025-01-01", **{"files-0-file": upload()})
    assert client.post(ADD, data).status_code == 302
    doc = Document.objects.get()
    assert str(doc.effective_on) == "2024-04-02" and str(doc.expires_on) == "2025-01-01"


def test_an_expiry_before_the_effective_date_is_refused(client, editor, terms):
    client.force_login(editor)
    data = form_data(terms, expires_on="2024-01-01", **{"files-0-file": upload()})
    response = client.post(ADD, data)
    assert response.status_code == 200
    assert "Ngày hết hiệu lực phải sau ngày có hiệu lực." in response.content.decode()
    assert not Document.objects.exists()
