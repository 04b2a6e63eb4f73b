"""The editor's image upload (/bien-tap/tai-anh/): real images in, everything else refused
with a Vietnamese message, staff only."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import Image

from news.models import BodyImage
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

URL = reverse("news:body-image-upload")


def image_bytes(fmt, size=(800, 600), **save_kwargs):
    out = io.BytesIO()
    mode = "P" if fmt == "GIF" else "RGB"
    Image.new(mode, size, 120).save(out, fmt, **save_kwargs)
    return out.getvalue()


def upload(name, content, content_type="image/jpeg"):
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.fixture
def staff(client, editor):
    client.force_login(editor)
    return client


def stored_path(url):
    assert url.startswith(settings.MEDIA_URL)
    return Path(settings.MEDIA_ROOT) / url.removeprefix(settings.MEDIA_URL)


@pytest.mark.parametrize(
    ("fmt", "ext"), [("JPEG", "jpg"), ("PNG", "png"), ("GIF", "gif"), ("WEBP", "webp")]
)
def test_real_images_are_stored_under_a_random_name(staff, editor, fmt, ext):
    response = staff.post(
        URL,
        {
            "image": upload(f"Ảnh hội nghị.{ext}", image_bytes(fmt)),
            "caption": "  Quang cảnh   hội nghị ",
        },
    )
    assert response.status_code == 201
    data = response.json()
    assert data["alt"] == "Quang cảnh hội nghị"
    assert (data["width"], data["height"]) == (800, 600)
    path = stored_path(data["url"])
    assert path.is_file()
    assert "hội nghị" not in data["url"] and "h%E1%BB%99i" not in data["url"]
    with Image.open(path) as stored:
        assert stored.size == (800, 600)
    body_image = BodyImage.objects.get()
    assert body_image.uploaded_by == editor
    assert body_image.original_name == f"Ảnh hội nghị.{ext}"


def test_wide_image_is_resized_to_content_width(staff):
    response = staff.post(URL, {"image": upload("rong.png", image_bytes("PNG", (3000, 1500)))})
    assert response.status_code == 201
    data = response.json()
    assert (data["width"], data["height"]) == (1200, 600)
    with Image.open(stored_path(data["url"])) as stored:
        assert stored.size == (1200, 600)


def test_upload_makes_webp_and_phone_width_copies_beside_the_image(staff):
    response = staff.post(URL, {"image": upload("rong.png", image_bytes("PNG", (3000, 1500)))})
    path = stored_path(response.json()["url"])
    stem = path.with_suffix("")
    for copy, size in [(".webp", (1200, 600)), ("-720.webp", (720, 360)), ("-720.jpg", (720, 360))]:
        with Image.open(f"{stem}{copy}") as stored:
            assert (stored.format, stored.size) == (
                "WEBP" if copy.endswith("webp") else "JPEG",
                size,
            )


def test_animated_gif_keeps_its_frames_and_a_gif_name(staff):
    frames = [Image.new("RGB", (40, 30), c) for c in ((200, 0, 0), (0, 0, 200))]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=100)
    # Named .html by the uploader: stored as .gif all the same.
    response = staff.post(URL, {"image": upload("dong.html", out.getvalue(), "text/html")})
    assert response.status_code == 201
    data = response.json()
    assert data["url"].endswith(".gif")
    assert (data["width"], data["height"]) == (40, 30)
    with Image.open(stored_path(data["url"])) as stored:
        assert stored.is_animated


def _png_header_only(width, height):
    """A PNG that claims a huge size (a decompression bomb is refused before decoding)."""

    def chunk(kind, payload):
        return (
            struct.pack(">I", len(payload))
            + kind
            + payload
            + struct.pack(">I", zlib.crc32(kind + payload))
        )

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(b""))
        + chunk(b"IEND", b"")
    )


SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("logo.svg", SVG, "Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP"),
        ("anh.jpg", b"<html><script>alert(1)</script></html>", "không phải là ảnh hợp lệ"),
        ("van-ban.pdf", PDF, "không phải là ảnh hợp lệ"),
        ("cut.jpg", image_bytes("JPEG")[:2000], "không phải là ảnh hợp lệ"),
        ("bom.png", _png_header_only(20000, 20000), "kích thước điểm ảnh quá lớn"),
        ("lon.png", _png_header_only(10000, 5000), "kích thước điểm ảnh quá lớn"),
        ("rong.jpg", b"", "Tệp ảnh rỗng"),
        ("anh.bmp", image_bytes("BMP", (20, 20)), "Định dạng ảnh BMP không được nhận"),
    ],
)
def test_files_that_are_not_accepted_images_are_refused(staff, name, content, message):
    response = staff.post(URL, {"image": upload(name, content)})
    assert response.status_code == 400
    assert message in response.json()["error"]
    assert not BodyImage.objects.exists()


def test_oversize_file_is_refused(staff):
    big = image_bytes("PNG", (32, 32)) + b"\0" * (10 * 1024 * 1024)
    response = staff.post(URL, {"image": upload("lon.png", big)})
    assert response.status_code == 413
    assert response.json()["error"] == "Ảnh quá lớn; tối đa 10 MB."
    assert not BodyImage.objects.exists()


def test_missing_file_is_refused(staff):
    response = staff.post(URL, {"caption": "Không có ảnh"})
    assert response.status_code == 400
    assert response.json()["error"] == "Hãy chọn một tệp ảnh để tải lên."


def test_anonymous_visitor_gets_403_json(client):
    response = client.post(URL, {"image": upload("a.png", image_bytes("PNG"))})
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
    assert "đăng nhập" in response.json()["error"]
    assert not BodyImage.objects.exists()


def test_reader_without_staff_rights_gets_403(client):
    reader = make_user("bandoc")
    client.force_login(reader)
    response = client.post(URL, {"image": upload("a.png", image_bytes("PNG"))})
    assert response.status_code == 403
    assert response.json()["error"] == "Bạn không có quyền tải ảnh lên."


def test_staff_without_the_permission_gets_403(client):
    clerk = make_user("vanthu")
    clerk.is_staff = True
    clerk.save()
    client.force_login(clerk)
    response = client.post(URL, {"image": upload("a.png", image_bytes("PNG"))})
    assert response.status_code == 403


def test_reporter_may_upload(client, reporter):
    client.force_login(reporter)
    response = client.post(URL, {"image": upload("a.png", image_bytes("PNG"))})
    assert response.status_code == 201


def test_get_is_405(staff):
    response = staff.get(URL)
    assert response.status_code == 405
    assert response["Allow"] == "POST"


def test_post_without_csrf_token_is_refused(editor):
    client = Client(enforce_csrf_checks=True)
    client.force_login(editor)
    response = client.post(URL, {"image": upload("a.png", image_bytes("PNG"))})
    assert response.status_code == 403
    assert not BodyImage.objects.exists()
