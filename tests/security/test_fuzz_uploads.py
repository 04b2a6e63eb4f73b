"""Forged, truncated and corrupted uploads against the three content checks: article and
banner images (news.images.check_image, banners.forms.BannerAdminForm) and the files of
documents (documents.files.check_upload). Each either accepts a file that really is what it
claims to be, or refuses it with a ValidationError; no other exception ever escapes (that
would be a 500 for the editor)."""

import io
import struct
import zipfile
import zlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from PIL import Image

from banners.forms import BannerAdminForm
from documents import files
from news import images
from tests.documents.conftest import small_pdf

# Pillow warns about the corrupt TIFF tags it skips; the checks must refuse, not warn.
pytestmark = pytest.mark.filterwarnings("ignore::UserWarning:PIL.TiffImagePlugin")

FUZZ = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)

FORGED = [
    b"",
    b"<html><script>alert(1)</script></html>",
    b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>',
    b"<?php system($_GET['c']); ?>",
    b"GIF89a<script>alert(1)</script>",
    b"\x89PNG\r\n\x1a\n<script>alert(1)</script>",
    b"\xff\xd8\xff\xe0<html>",
    b"RIFF\x00\x00\x00\x00WEBPVP8 ",
    b"MZ\x90\x00\x03\x00\x00\x00",
    b"%PDF-1.4\n<script>",
    b"PK\x03\x04" + b"\x00" * 40,
    files.OLE_MAGIC + b"\x00" * 100,
]
IMAGE_FORMATS = ["PNG", "JPEG", "GIF", "WEBP", "BMP", "TIFF", "ICO", "PPM"]


def _image(fmt: str, size: tuple[int, int], colour: int) -> bytes:
    mode = "RGBA" if fmt in ("PNG", "WEBP", "ICO") and colour % 2 else "RGB"
    out = io.BytesIO()
    Image.new(mode, size, (colour, 255 - colour, colour // 2)).save(out, fmt)
    return out.getvalue()


@st.composite
def mutated(draw, data: bytes) -> bytes:
    """The bytes as given, or cut short, with bytes changed, or with junk around them."""
    how = draw(st.sampled_from(["none", "truncate", "flip", "prefix", "suffix", "splice"]))
    if how == "none" or not data:
        return data
    if how == "truncate":
        return data[: draw(st.integers(0, len(data) - 1))]
    if how == "flip":
        data = bytearray(data)
        for _ in range(draw(st.integers(1, 4))):
            data[draw(st.integers(0, len(data) - 1))] = draw(st.integers(0, 255))
        return bytes(data)
    junk = draw(st.sampled_from(FORGED[1:]))
    if how == "prefix":
        return junk + data
    if how == "suffix":
        return data + junk
    cut = draw(st.integers(0, len(data)))
    return data[:cut] + junk + data[cut:]


@st.composite
def image_uploads(draw) -> bytes:
    source = draw(st.sampled_from(["image", "forged"]))
    if source == "forged":
        data = draw(st.sampled_from(FORGED))
    else:
        fmt = draw(st.sampled_from(IMAGE_FORMATS))
        size = (draw(st.integers(1, 48)), draw(st.integers(1, 48)))
        data = _image(fmt, size, draw(st.integers(0, 255)))
    return draw(mutated(data))


def _upload(data: bytes, name="anh.jpg", content_type="image/jpeg"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def assert_really_an_image(data: bytes, ext: str) -> None:
    with Image.open(io.BytesIO(data)) as img:
        assert images.ALLOWED_FORMATS.get(img.format) == ext
        img.load()
    assert not data.lstrip().startswith((b"<", b"%PDF", b"MZ", b"PK"))


@FUZZ
@given(image_uploads())
@example(FORGED[4])
@example(_image("PNG", (20, 20), 7)[:-30])
def test_image_check_accepts_only_real_images(data):
    try:
        ext = images.check_image(_upload(data))
    except ValidationError as refused:
        assert "ảnh" in refused.messages[0].lower() or "tệp" in refused.messages[0].lower()
        return
    assert_really_an_image(data, ext)


def test_image_check_refuses_a_decompression_bomb():
    out = io.BytesIO()
    Image.new("1", (8000, 6000)).save(out, "PNG")  # 48 megapixels in a few kilobytes
    assert len(out.getvalue()) < 100_000
    with pytest.raises(ValidationError, match="kích thước điểm ảnh quá lớn"):
        images.check_image(_upload(out.getvalue(), "bom.png", "image/png"))


@pytest.mark.django_db
@FUZZ
@given(image_uploads())
def test_banner_form_accepts_only_real_images(data):
    form = BannerAdminForm(data={}, files={"image": _upload(data, "banner.png", "image/png")})
    form.is_valid()
    if "image" in form.errors:
        assert form.errors["image"]
        return
    assert_really_an_image(data, images.check_image(_upload(data)))


# Documents


def _zip(entries: dict[str, bytes], compression=zipfile.ZIP_STORED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return out.getvalue()


def _encrypted_flag(data: bytes) -> bytes:
    """Mark every entry as encrypted (general purpose flag bit 0), as a password-protected
    archive is: zipfile then refuses to read an entry without the password."""
    data = bytearray(data)
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        while at != -1:
            flags = struct.unpack_from("<H", data, at + offset)[0]
            struct.pack_into("<H", data, at + offset, flags | 1)
            at = data.find(signature, at + 4)
    return bytes(data)


ODT = files.ODF_MIMETYPES["odt"]
SAMPLES = {
    "pdf": small_pdf(),
    "docx": _zip({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}),
    "xlsx": _zip({"[Content_Types].xml": b"<x/>", "xl/workbook.xml": b"<w/>"}),
    "odt": _zip({"mimetype": ODT, "content.xml": b"<c/>"}),
    "ods": _zip({"mimetype": files.ODF_MIMETYPES["ods"], "content.xml": b"<c/>"}),
    "zip": _zip({"a.txt": b"noi dung"}),
    "doc": files.OLE_MAGIC + b"\x00" * 500 + files.OLE_STREAMS["doc"][0] + b"\x00" * 100,
    "xls": files.OLE_MAGIC + b"\x00" * 500 + files.OLE_STREAMS["xls"][0] + b"\x00" * 100,
    # Awkward archives: a deflated mimetype (then corrupted below), an encrypted one.
    "odt-deflated": _zip({"mimetype": ODT * 20, "content.xml": b"<c/>"}, zipfile.ZIP_DEFLATED),
    "odt-encrypted": _encrypted_flag(_zip({"mimetype": ODT, "content.xml": b"<c/>"})),
    "html": FORGED[1],
    "png": _image("PNG", (10, 10), 3),
}
NAMES = [
    "van-ban.pdf", "Quyết định.PDF", "ke-hoach.docx", "bang.xlsx", "bao-cao.odt", "so-lieu.ods",
    "tai-lieu.zip", "cu.doc", "cu.xls", "trang.html", "chuong-trinh.exe", "van-ban.pdf.exe",
    "khong-duoi", "../../etc/passwd.pdf",
]  # fmt: skip


@st.composite
def document_uploads(draw):
    name = draw(st.sampled_from(NAMES))
    data = draw(mutated(SAMPLES[draw(st.sampled_from(sorted(SAMPLES)))]))
    return name, data


def assert_really_that_kind(data: bytes, kind: str) -> None:
    assert not data.lstrip().startswith(b"<")
    if kind == "pdf":
        assert b"%PDF-" in data[:1024]
        return
    if kind in ("doc", "xls"):
        assert data.startswith(files.OLE_MAGIC)
        assert any(stream in data for stream in files.OLE_STREAMS[kind])
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        names = set(archive.namelist())
        if kind == "docx":
            assert "word/document.xml" in names
        elif kind == "xlsx":
            assert "xl/workbook.xml" in names
        elif kind in ("odt", "ods"):
            assert archive.read("mimetype").strip() == files.ODF_MIMETYPES[kind]


@FUZZ
@given(document_uploads())
@example(("bao-cao.odt", SAMPLES["odt-encrypted"]))
@example(("bao-cao.odt", SAMPLES["odt-deflated"][:60] + b"\xff" * 8 + SAMPLES["odt-deflated"][68:]))
def test_document_check_accepts_only_files_that_match_their_name(upload):
    name, data = upload
    try:
        kind = files.check_upload(_upload(data, name, "application/octet-stream"))
    except ValidationError as refused:
        assert refused.messages[0].startswith(("Chỉ nhận tệp", "Tệp", "Nội dung tệp"))
        return
    assert kind == files.kind_of_name(files.clean_filename(name))
    assert_really_that_kind(data, kind)


def test_a_corrupted_compressed_entry_is_refused_not_a_crash():
    data = bytearray(SAMPLES["odt-deflated"])
    start = data.find(b"mimetype") + len(b"mimetype")
    data[start : start + 8] = b"\xff" * 8  # the deflate stream of the entry
    with pytest.raises(zlib.error):
        zipfile.ZipFile(io.BytesIO(bytes(data))).read("mimetype")
    with pytest.raises(ValidationError, match="không phải là OpenDocument"):
        files.check_upload(_upload(bytes(data), "bao-cao.odt", "application/octet-stream"))
