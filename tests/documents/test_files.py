"""What an attached file may be: the extension is allowed and the content matches it."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile

from documents import files
from tests.documents.conftest import small_pdf

OLE = files.OLE_MAGIC


def zipped(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def ole(stream_name: str) -> bytes:
    # The magic, then (somewhere in the directory) the stream name in UTF-16LE.
    return OLE + b"\0" * 504 + stream_name.encode("utf-16-le") + b"\0" * 2000


def xlsx() -> bytes:
    from openpyxl import Workbook

    out = io.BytesIO()
    Workbook().save(out)
    return out.getvalue()


GOOD = {
    "Hướng dẫn.pdf": lambda: small_pdf(),
    "Kế hoạch.docx": lambda: zipped({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
    "Biểu mẫu.xlsx": xlsx,
    "Công văn.doc": lambda: ole("WordDocument"),
    "Số liệu.xls": lambda: ole("Workbook"),
    "Văn bản.odt": lambda: zipped({"mimetype": b"application/vnd.oasis.opendocument.text"}),
    "Bảng.ods": lambda: zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
    "Tài liệu.zip": lambda: zipped({"a.txt": b"hello"}),
    "HOA.PDF": lambda: small_pdf(),
}


@pytest.mark.parametrize("name", list(GOOD))
def test_allowed_files_are_accepted(name):
    kind = files.check_upload(ContentFile(GOOD[name](), name=name))
    assert kind == name.rsplit(".", 1)[1].lower()


BAD = {
    "html renamed .pdf": ("Hướng dẫn.pdf", b"<!DOCTYPE html><html><body>Phishing</body></html>"),
    "zip renamed .docx": ("Kế hoạch.docx", zipped({"a.txt": b"x"})),
    "docx renamed .xlsx": ("Bảng.xlsx", zipped({"word/document.xml": b"<w/>"})),
    "xls renamed .doc": ("Công văn.doc", ole("Workbook")),
    "pdf renamed .doc": ("Công văn.doc", small_pdf()),
    "ods renamed .odt": ("Văn bản.odt", zipped({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"})),
    "broken zip": ("Tài liệu.zip", b"PK\x03\x04" + b"\0" * 100),
    "exe renamed .zip": ("Tài liệu.zip", b"MZ\x90\x00" + b"\0" * 100),
}  # fmt: skip


@pytest.mark.parametrize("case", list(BAD))
def test_content_that_does_not_match_the_extension_is_refused(case):
    name, data = BAD[case]
    with pytest.raises(ValidationError) as error:
        files.check_upload(ContentFile(data, name=name))
    assert "Nội dung tệp" in str(error.value)


@pytest.mark.parametrize("name", ["virus.exe", "trang.html", "anh.jpg", "khong-duoi", ".pdf"])
def test_other_extensions_are_refused(name):
    with pytest.raises(ValidationError, match="Chỉ nhận tệp PDF, DOC"):
        files.check_upload(ContentFile(small_pdf(), name=name))


def test_files_over_50_mb_are_refused():
    big = SimpleUploadedFile("Hướng dẫn.pdf", b"%PDF-1.4\n")
    big.size = 50 * 1024 * 1024 + 1
    with pytest.raises(ValidationError, match="tối đa 50 MB"):
        files.check_upload(big)


def test_empty_files_are_refused():
    with pytest.raises(ValidationError, match="Tệp rỗng"):
        files.check_upload(ContentFile(b"", name="a.pdf"))


def test_the_original_name_is_kept_readable():
    decomposed = "Hu\u031bo\u031b\u0301ng da\u0302\u0303n.pdf"  # as macOS sends it
    assert files.clean_filename(decomposed) == "Hướng dẫn.pdf"
    assert files.clean_filename("C:\\Users\\bt\\Kế hoạch\x07.docx") == "Kế hoạch.docx"
    assert files.clean_filename("../../etc/passwd.pdf") == "passwd.pdf"
    assert len(files.clean_filename("a" * 300 + ".pdf")) == 200
    assert files.clean_filename("a" * 300 + ".pdf").endswith(".pdf")


def test_a_needle_split_across_chunks_is_found():
    data = b"x" * 10 + "WordDocument".encode("utf-16-le") + b"y" * 10
    assert files._contains_any(io.BytesIO(data), [files.OLE_STREAMS["doc"][0]], chunk=16)


def test_a_long_file_name_is_shortened_after_a_whole_word():
    name = files.clean_filename("Kế hoạch tuyên truyền " * 20 + ".pdf")
    assert len(name) <= 200 and name.endswith(".pdf")
    assert name[:-4].split(" ")[-1] in {"Kế", "hoạch", "tuyên", "truyền"}  # not "truyề"
