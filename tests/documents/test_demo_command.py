"""`load_demo_documents`: a library a first visitor can filter, read and download from."""

from io import StringIO

import pytest
from django.core.management import call_command

from documents.models import Document, DocumentFile, DocumentType, IssuingBody
from documents.storage import document_storage

pytestmark = pytest.mark.django_db


def load(*args, verbosity=1) -> str:
    out = StringIO()
    call_command("load_demo_documents", *args, verbosity=verbosity, stdout=out)
    return out.getvalue()


def test_demo_library_is_loaded_once_with_real_pdfs(reader_client):
    assert "Đã tạo 45 văn bản mẫu" in load("--once")
    assert Document.objects.published().count() >= 40
    assert Document.objects.filter(status=Document.Status.DRAFT).exists()
    assert DocumentType.objects.filter(documents__isnull=False).distinct().count() >= 8
    assert IssuingBody.objects.filter(documents__isnull=False).distinct().count() >= 5
    for file in DocumentFile.objects.filter(kind="pdf"):
        with document_storage.open(file.file.name) as f:
            data = f.read()
        assert data.startswith(b"%PDF-") and data.rstrip().endswith(b"%%EOF")
        assert file.size == len(data) < 100_000
    assert DocumentFile.objects.filter(kind="xlsx").exists()

    # The reference document, as in the "Văn bản mới" block of the old site.
    tran_phu = Document.objects.get(code="112-HD/BTGTU")
    assert tran_phu.title.startswith("Hướng dẫn tuyên truyền kỷ niệm 120 năm Ngày sinh")
    assert (tran_phu.view_count, tran_phu.download_count) == (95, 83)
    assert tran_phu.files.get().original_name.startswith("112-HD-BTGTU Hướng dẫn")
    assert Document.objects.get(code="12-QĐi/TU").replaces.filter(code="05-QĐi/TU").exists()

    # Every validity state is there to filter by.
    for value in ["in_force", "expired", "not_yet_effective"]:
        assert Document.objects.published().validity(value).exists(), value

    assert reader_client.get("/van-ban/", {"q": "huong dan tran phu"}).status_code == 200
    assert load("--once", verbosity=2) == "Đã có văn bản: bỏ qua dữ liệu mẫu.\n"
    assert Document.objects.count() == 45
