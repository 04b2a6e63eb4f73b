"""Checks of an attached file: its extension is allowed, and its content is what the
extension says (an HTML page renamed .pdf is refused). Only the bytes are trusted: the
browser's Content-Type and the file name alone decide nothing."""

import unicodedata
import zipfile
import zlib
from pathlib import PurePath

from django.core.exceptions import ValidationError

from portal.text import cut_at_word

MAX_FILE_BYTES = 50 * 1024 * 1024

# extension -> kind (DocumentFile.Kind values)
EXTENSIONS = {
    ".pdf": "pdf",
    ".doc": "doc",
    ".docx": "docx",
    ".xls": "xls",
    ".xlsx": "xlsx",
    ".odt": "odt",
    ".ods": "ods",
    ".zip": "zip",
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "doc": "application/msword",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xls": "application/vnd.ms-excel",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "odt": "application/vnd.oasis.opendocument.text",
    "ods": "application/vnd.oasis.opendocument.spreadsheet",
    "zip": "application/zip",
}
LABELS = {
    "pdf": "PDF",
    "doc": "Word (.doc)",
    "docx": "Word (.docx)",
    "xls": "Excel (.xls)",
    "xlsx": "Excel (.xlsx)",
    "odt": "OpenDocument văn bản (.odt)",
    "ods": "OpenDocument bảng tính (.ods)",
    "zip": "Tệp nén (.zip)",
}
ALLOWED_TEXT = "PDF, DOC, DOCX, XLS, XLSX, ODT, ODS hoặc ZIP"

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # Word 97-2003 and Excel 97-2003
ZIP_MAGICS = (b"PK\x03\x04", b"PK\x05\x06")
# Stream names inside an OLE compound file, as stored in its directory (UTF-16LE).
OLE_STREAMS = {
    "doc": ["WordDocument".encode("utf-16-le")],
    "xls": ["Workbook".encode("utf-16-le"), "Book".encode("utf-16-le")],
}
ODF_MIMETYPES = {
    "odt": b"application/vnd.oasis.opendocument.text",
    "ods": b"application/vnd.oasis.opendocument.spreadsheet",
}


def clean_filename(name: str) -> str:
    """The original name as readers will see it when they save the file: the last path
    part only, composed Unicode (macOS uploads decomposed Vietnamese), no control chars."""
    name = PurePath((name or "").replace("\\", "/")).name
    name = unicodedata.normalize("NFC", name)
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 200:
        stem, ext = PurePath(name).stem, PurePath(name).suffix[:8]
        name = cut_at_word(stem, 200 - len(ext)) + ext
    return name


def kind_of_name(name: str) -> str | None:
    return EXTENSIONS.get(PurePath(name or "").suffix.lower())


def check_upload(uploaded) -> str:
    """Return the kind of an uploaded file, or raise ValidationError saying why not."""
    name = clean_filename(getattr(uploaded, "name", "") or "")
    kind = kind_of_name(name)
    if kind is None:
        raise ValidationError(f"Chỉ nhận tệp {ALLOWED_TEXT}.")
    size = uploaded.size
    if not size:
        raise ValidationError("Tệp rỗng.")
    if size > MAX_FILE_BYTES:
        raise ValidationError(
            f"Tệp quá lớn ({size / 1048576:.1f} MB); tối đa {MAX_FILE_BYTES // 1048576} MB."
        )
    try:
        uploaded.seek(0)
        ok = _content_matches(uploaded, kind)
    finally:
        uploaded.seek(0)
    if not ok:
        raise ValidationError(
            f"Nội dung tệp “{name}” không phải là {LABELS[kind]} như phần mở rộng của tên tệp."
        )
    return kind


def _content_matches(f, kind: str) -> bool:
    head = f.read(1024)
    if kind == "pdf":
        # The PDF header may follow a little leading junk (readers allow 1024 bytes), but
        # not markup: an HTML page with "%PDF-" further down is not a PDF.
        start = head.find(b"%PDF-")
        return start >= 0 and b"<" not in head[:start]
    if kind in OLE_STREAMS:
        return head.startswith(OLE_MAGIC) and _contains_any(f, OLE_STREAMS[kind])
    if not head.startswith(ZIP_MAGICS):
        return False
    f.seek(0)
    try:
        with zipfile.ZipFile(f) as archive:
            names = set(archive.namelist())
            if kind == "zip":
                return True
            if kind == "docx":
                return "word/document.xml" in names
            if kind == "xlsx":
                return "xl/workbook.xml" in names
            if "mimetype" not in names:
                return False
            # A few bytes only: the entry may be a "zip bomb" that inflates to gigabytes.
            with archive.open("mimetype") as entry:
                return entry.read(len(ODF_MIMETYPES[kind]) + 2).strip() == ODF_MIMETYPES[kind]
    except (zipfile.BadZipFile, OSError, ValueError, KeyError, EOFError):
        return False
    except (RuntimeError, NotImplementedError, zlib.error):
        # An encrypted entry, a compression zipfile cannot read, corrupted deflate data:
        # whatever it is, it is not a document the portal can vouch for.
        return False


def _contains_any(f, needles: list[bytes], chunk: int = 1 << 20) -> bool:
    """Stream the file looking for any needle (chunks overlap so none is cut in two)."""
    f.seek(0)
    overlap = max(len(n) for n in needles) - 1
    tail = b""
    while True:
        block = f.read(chunk)
        if not block:
            return False
        window = tail + block
        if any(n in window for n in needles):
            return True
        tail = window[-overlap:]
