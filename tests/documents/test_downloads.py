"""Downloads: the file as stored, its name intact, byte ranges, and the counting rules
(once per reader per file within 30 minutes, ranges once, no bots, no staff)."""

import logging
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.utils import timezone

from documents import demo, services
from stats import counting
from stats.models import CountMark
from tests.conftest import BROWSER_UA
from tests.documents.conftest import make_document

pytestmark = pytest.mark.django_db

NAME = "112-HD-BTGTU Hướng dẫn tuyên truyền kỷ niệm Trần Phú.pdf"


@pytest.fixture
def doc(terms):
    return make_document(terms, file_name=NAME)


@pytest.fixture
def file(doc):
    return doc.files.get()


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def counts(doc, file):
    counting.buffer.flush()
    doc.refresh_from_db()
    file.refresh_from_db()
    return doc.download_count, file.download_count


def stored_bytes(file) -> bytes:
    with file.file.open("rb") as f:
        return f.read()


def test_download_sends_the_file_with_its_type_and_vietnamese_name(reader_client, file):
    response = reader_client.get(file.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f"attachment; filename*=utf-8''{quote(NAME)}"
    assert response["Accept-Ranges"] == "bytes"
    content = body(response)
    assert content == stored_bytes(file) and content.startswith(b"%PDF-")
    assert int(response["Content-Length"]) == len(content) == file.size
    assert "private" in response["Cache-Control"]


def test_the_pdf_view_link_opens_in_the_browser(reader_client, file):
    response = reader_client.get(file.get_view_url())
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline; filename*=utf-8''")


def test_only_pdfs_open_in_the_browser(reader_client, doc):
    import io

    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    annex = services.document_file_attach(
        document=doc, uploaded=ContentFile(out.getvalue(), name="Phụ lục.xlsx")
    )
    assert reader_client.get(annex.get_view_url()).status_code == 404
    response = reader_client.get(annex.get_absolute_url())
    assert response.status_code == 200
    assert response["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def test_stored_name_cannot_be_guessed_and_is_not_under_media(file, settings):
    assert NAME not in file.file.name and "Trần" not in file.file.name
    assert len(file.file.name.rsplit("/", 1)[-1]) == len("0123456789abcdef0123456789abcdef.pdf")
    assert not file.file.path.startswith(str(settings.MEDIA_ROOT))


def test_a_download_counts_once_per_reader_for_the_file_and_the_document(reader_client, doc, file):
    for _ in range(3):
        assert reader_client.get(file.get_absolute_url()).status_code == 200
    assert counts(doc, file) == (1, 1)
    Client(HTTP_USER_AGENT=BROWSER_UA, REMOTE_ADDR="198.51.100.7").get(file.get_absolute_url())
    assert counts(doc, file) == (2, 2)


def test_the_same_reader_counts_again_after_30_minutes(reader_client, doc, file):
    reader_client.get(file.get_absolute_url())
    assert counts(doc, file) == (1, 1)
    CountMark.objects.update(counted_at=timezone.now() - timedelta(minutes=31))
    reader_client.get(file.get_absolute_url())
    assert counts(doc, file) == (2, 2)


def test_two_files_of_one_document_count_once_for_the_document(reader_client, doc, file):
    second = services.document_file_attach(
        document=doc, uploaded=ContentFile(demo.padded_pdf(4000), name="Phụ lục.pdf")
    )
    reader_client.get(file.get_absolute_url())
    reader_client.get(second.get_absolute_url())
    assert counts(doc, file) == (1, 1)
    second.refresh_from_db()
    assert second.download_count == 1


def test_a_pdf_fetched_in_ranges_counts_once(reader_client, doc, file):
    size = file.size
    # The viewer's first request, then the rest in pieces.
    first = reader_client.get(file.get_view_url(), HTTP_RANGE="bytes=0-1023")
    assert first.status_code == 206
    for start in range(1024, size, 1024):
        part = reader_client.get(
            file.get_view_url(), HTTP_RANGE=f"bytes={start}-{min(start + 1023, size - 1)}"
        )
        assert part.status_code == 206
    assert counts(doc, file) == (1, 1)


def test_ranges_that_do_not_start_the_file_never_count(reader_client, doc, file):
    reader_client.get(file.get_absolute_url(), HTTP_RANGE="bytes=100-")
    reader_client.get(file.get_absolute_url(), HTTP_RANGE="bytes=-100")
    reader_client.head(file.get_absolute_url())
    assert counts(doc, file) == (0, 0)


@pytest.mark.parametrize(
    ("header", "first", "last"),
    [("bytes=0-99", 0, 99), ("bytes=100-", 100, None), ("bytes=-50", None, None),
     ("bytes=10-999999999", 10, None), (" bytes = 5-9 ", 5, 9)],
)  # fmt: skip
def test_a_single_range_is_sent_as_206(reader_client, file, header, first, last):
    whole = stored_bytes(file)
    size = len(whole)
    if first is None:
        first = size - 50
    if last is None:
        last = size - 1
    response = reader_client.get(file.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{size}"
    assert int(response["Content-Length"]) == last - first + 1
    assert body(response) == whole[first : last + 1]


def test_several_ranges_are_answered_with_the_whole_file(reader_client, file):
    response = reader_client.get(file.get_absolute_url(), HTTP_RANGE="bytes=0-9,20-29")
    assert response.status_code == 200
    assert body(response) == stored_bytes(file)


def test_if_range_with_an_old_validator_sends_the_whole_file(reader_client, file):
    etag = reader_client.get(file.get_absolute_url())["ETag"]
    response = reader_client.get(
        file.get_absolute_url(), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE=etag
    )
    assert response.status_code == 206
    response = reader_client.get(
        file.get_absolute_url(), HTTP_RANGE="bytes=0-9", HTTP_IF_RANGE='"stale"'
    )
    assert response.status_code == 200


@pytest.mark.parametrize(
    "header",
    ["bytes=abc", "bytes=5-2", "bytes=-", "bytes=", "items=0-9", "bytes 0-9", "bytes=0-9;x",
     "bytes=١-٢", "bytes=" + "9" * 300],
)  # fmt: skip
def test_a_malformed_range_is_400(reader_client, doc, file, header):
    response = reader_client.get(file.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 400
    assert "Range không hợp lệ" in response.content.decode()
    assert counts(doc, file) == (0, 0)


@pytest.mark.parametrize("header", ["bytes=999999-", "bytes=999999-1000000", "bytes=-0"])
def test_a_range_beyond_the_file_is_416(reader_client, file, header):
    response = reader_client.get(file.get_absolute_url(), HTTP_RANGE=header)
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{file.size}"
    assert "ngoài tệp" in response.content.decode()


@pytest.mark.parametrize(
    "agent",
    [
        "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
        "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
        "curl/8.5.0",
        "Wget/1.21.4",
        "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 HeadlessChrome/124.0 Safari/537.36",
        "",
    ],
)
def test_bots_do_not_count(client, doc, file, agent):
    assert client.get(file.get_absolute_url(), HTTP_USER_AGENT=agent).status_code == 200
    assert counts(doc, file) == (0, 0)


def test_staff_downloads_do_not_count(client, editor, doc, file):
    client.force_login(editor)
    assert client.get(file.get_absolute_url(), HTTP_USER_AGENT=BROWSER_UA).status_code == 200
    assert counts(doc, file) == (0, 0)


def test_the_document_page_counts_a_view_once_and_shows_the_counts(reader_client, doc, file):
    reader_client.get(doc.get_absolute_url())
    reader_client.get(doc.get_absolute_url())
    reader_client.get(file.get_absolute_url())
    counting.buffer.flush()
    html = reader_client.get(doc.get_absolute_url()).content.decode()
    assert 'lượt xem: <span class="view-count">1</span>' in html
    assert 'lượt tải: <span class="download-count">1</span>' in html
    assert 'lượt tải: <span class="file-download-count">1</span>' in html


def test_a_file_missing_on_disk_is_404_with_a_message_and_logged(reader_client, doc, file, caplog):
    file.file.storage.delete(file.file.name)
    with caplog.at_level(logging.ERROR, logger="documents.views"):
        response = reader_client.get(file.get_absolute_url())
    assert response.status_code == 404
    assert "Tệp này tạm thời không có trên máy chủ" in response.content.decode()
    assert any("missing on disk" in r.getMessage() for r in caplog.records)
    assert counts(doc, file) == (0, 0)


def test_production_hands_the_sending_to_nginx(reader_client, settings, doc, file):
    settings.SENDFILE_X_ACCEL_PREFIX = "/_documents/"
    response = reader_client.get(file.get_absolute_url(), HTTP_RANGE="bytes=0-99")
    assert response.status_code == 200  # nginx answers the range itself
    assert response["X-Accel-Redirect"] == "/_documents/" + quote(file.file.name)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert response.content == b""
    assert counts(doc, file) == (1, 1)


def test_head_answers_headers_without_the_file(reader_client, file):
    response = reader_client.head(file.get_absolute_url())
    assert response.status_code == 200
    assert int(response["Content-Length"]) == file.size
    assert response.content == b""


def test_post_is_refused(reader_client, file):
    assert reader_client.post(file.get_absolute_url()).status_code == 405


def test_replacing_a_file_keeps_its_counts_and_removes_the_old_one(
    reader_client, doc, file, django_capture_on_commit_callbacks
):
    reader_client.get(file.get_absolute_url())
    assert counts(doc, file) == (1, 1)
    old_name = file.file.name
    new = demo.padded_pdf(20_000, seed=7)
    with django_capture_on_commit_callbacks(execute=True):
        services.document_file_replace(
            document_file=file, uploaded=ContentFile(new, name="Hướng dẫn (sửa đổi).pdf")
        )
    file.refresh_from_db()
    assert file.download_count == 1
    assert file.original_name == "Hướng dẫn (sửa đổi).pdf"
    assert file.size == 20_000
    assert file.file.name != old_name
    assert not file.file.storage.exists(old_name)
    response = reader_client.get(file.get_absolute_url())
    assert body(response) == new
    assert quote("Hướng dẫn (sửa đổi).pdf") in response["Content-Disposition"]
