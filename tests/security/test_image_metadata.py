"""No stored image carries metadata: a reporter's phone photo must not publish where it was
taken, and a JPEG comment holding a page must not be stored. Featured images, body images,
banners and every rendition; the orientation stays applied to the pixels; the renditions
command cleans images stored before."""

import io
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.utils import timezone
from PIL import Image, ImageCms

from banners.models import Banner, BannerPosition
from news.models import Article, BodyImage
from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db

SCRIPT = b"<html><body><script>alert(1)</script>"
MAKE = "Canon-Serial-4711"
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/">GPS-10.9,106.8</x:xmpmeta>'
MARKERS = [SCRIPT, MAKE.encode(), b"GPS-10.9", b"xmpmeta", b"acsp"]  # acsp: any ICC profile


def phone_photo(fmt="JPEG", size=(64, 32)) -> bytes:
    """A landscape picture taken by a phone held upright: EXIF orientation 6 (turn 90°),
    the camera's make, a GPS position, a comment with a page, XMP and an ICC profile."""
    img = Image.new("RGB", size, (200, 30, 30))
    img.paste((20, 20, 200), (0, 0, size[0] // 2, size[1]))  # left half blue
    exif = Image.Exif()
    exif[0x0112] = 6
    exif[0x010F] = MAKE
    exif.get_ifd(0x8825)[2] = (10.0, 54.0, 0.0)  # GPSLatitude
    icc = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    out = io.BytesIO()
    options = {"exif": exif, "icc_profile": icc, "xmp": XMP}
    if fmt == "JPEG":
        options["comment"] = SCRIPT
    img.save(out, fmt, **options)
    data = out.getvalue()
    assert all(m in data for m in MARKERS[1:3])
    return data


def animated_gif() -> bytes:
    frames = [Image.new("RGB", (16, 16), c) for c in ("red", "green", "blue")]
    out = io.BytesIO()
    frames[0].save(out, "GIF", save_all=True, append_images=frames[1:], duration=[100, 200, 300],
                   loop=0, comment=SCRIPT)  # fmt: skip
    assert SCRIPT in out.getvalue()
    return out.getvalue()


def stored_files() -> list[Path]:
    return [p for p in Path(settings.MEDIA_ROOT).rglob("*") if p.is_file()]


def assert_clean(paths):
    assert paths
    for path in paths:
        data = path.read_bytes()
        for marker in MARKERS:
            assert marker not in data, (path.name, marker)
        with Image.open(path) as img:
            assert not img.getexif(), path.name
            assert "icc_profile" not in img.info and "comment" not in img.info, path.name


def upright(path) -> bool:
    """Portrait, with the blue half on top: the orientation was applied to the pixels."""
    with Image.open(path) as img:
        img = img.convert("RGB")
        top, bottom = (
            img.getpixel((img.width // 2, 2)),
            img.getpixel((img.width // 2, img.height - 3)),
        )
        return img.height > img.width and top[2] > 150 and bottom[0] > 150


@pytest.fixture(autouse=True)
def _empty_media():
    for path in stored_files():
        path.unlink()


def test_featured_image_and_its_renditions_keep_no_metadata(client, editor):
    category = make_category("Thời sự")
    client.force_login(editor)
    when = timezone.localtime() - timedelta(minutes=1)
    response = client.post(
        "/admin/news/article/add/",
        {
            "title": "Ảnh chụp bằng điện thoại", "slug": "", "summary": "Tóm tắt",
            "body": "<p>Nội dung.</p>", "image_caption": "Ảnh", "category": category.pk,
            "status": Article.Status.DRAFT, "publish_at_0": when.strftime("%d/%m/%Y"),
            "publish_at_1": when.strftime("%H:%M:%S"), "author": "", "featured": "",
            "image": SimpleUploadedFile("dt.jpg", phone_photo(), content_type="image/jpeg"),
        },
    )  # fmt: skip
    assert response.status_code == 302
    article = Article.objects.get()
    files = stored_files()
    assert len(files) >= 4  # the original, the thumbnail, the content width, their WebPs
    assert_clean(files)
    assert upright(article.image.path) and upright(article.image_large.path)


@pytest.mark.parametrize(
    "name, content, content_type",
    [("dt.jpg", phone_photo(), "image/jpeg"), ("dt.webp", phone_photo("WEBP"), "image/webp"),
     ("dong.gif", animated_gif(), "image/gif")],
)  # fmt: skip
def test_body_images_keep_no_metadata(client, editor, name, content, content_type):
    client.force_login(editor)
    response = client.post(
        "/bien-tap/tai-anh/", {"image": SimpleUploadedFile(name, content, content_type)}
    )
    assert response.status_code == 201
    assert_clean(stored_files())
    stored = BodyImage.objects.get()
    if name.endswith(".gif"):
        with Image.open(stored.image.path) as img:
            assert img.n_frames == 3  # still animated
    else:
        assert upright(stored.image.path)


@pytest.mark.parametrize(
    "name, content, content_type",
    [("qc.jpg", phone_photo(), "image/jpeg"), ("qc.gif", animated_gif(), "image/gif")],
)
def test_banner_images_keep_no_metadata(admin_client, name, content, content_type):
    position = BannerPosition.objects.get_or_create(key="links", defaults={"heading": "Liên kết"})
    now = timezone.localtime()
    response = admin_client.post(
        "/admin/banners/banner/add/",
        {
            "title": "Cổng thông tin", "url": "https://chinhphu.vn/", "position": position[0].pk,
            "order": "1", "start_at_0": now.strftime("%Y-%m-%d"),
            "start_at_1": now.strftime("%H:%M:%S"), "end_at_0": "", "end_at_1": "",
            "is_active": "on", "image": SimpleUploadedFile(name, content, content_type),
        },
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:3000]
    assert Banner.objects.get().image
    assert_clean(stored_files())


def test_the_renditions_command_cleans_images_stored_before(editor):
    article = make_article("Bài cũ có ảnh chưa làm sạch")
    # As stored before: the original and a rendition byte for byte, an older rendition set.
    article.image.save("cu.jpg", ContentFile(phone_photo()), save=False)
    article.image_large.save("cu-large.jpg", ContentFile(phone_photo()), save=False)
    Article.objects.filter(pk=article.pk).update(
        image=article.image.name, image_large=article.image_large.name, image_renditions=2
    )
    body = BodyImage.objects.create(image=ContentFile(phone_photo(), name="trong-bai.jpg"))
    position = BannerPosition.objects.get_or_create(key="links", defaults={"heading": "Liên kết"})
    banner = Banner.objects.create(
        title="Cũ", url="https://chinhphu.vn/", position=position[0],
        start_at=timezone.now(), image=ContentFile(animated_gif(), name="cu.gif"),
    )  # fmt: skip
    names = {article.image.name, article.image_large.name, body.image.name, banner.image.name}
    call_command("make_renditions", "--strip-metadata", verbosity=0)
    assert_clean(stored_files())
    article.refresh_from_db()
    # Same names: pages and caches that link them stay valid.
    assert {article.image.name, article.image_large.name} <= names
    assert upright(article.image.path)
