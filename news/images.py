"""Image checks and renditions (Pillow). Renditions are made once, when the image is saved."""

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from PIL import Image, ImageOps, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
THUMB_SIZE = (480, 300)
LARGE_WIDTH = 1200


def check_image(uploaded, max_bytes: int = MAX_IMAGE_BYTES) -> str:
    """Refuse anything that is not really a JPEG, PNG, GIF or WebP; return its extension."""
    if uploaded.size > max_bytes:
        raise ValidationError(
            f"Ảnh quá lớn ({uploaded.size / 1048576:.1f} MB); tối đa {max_bytes // 1048576} MB."
        )
    try:
        uploaded.seek(0)
        with Image.open(uploaded) as img:
            fmt = img.format
            width, height = img.size
            if width * height > MAX_PIXELS:
                raise ValidationError("Ảnh có kích thước điểm ảnh quá lớn.")
            img.verify()
        uploaded.seek(0)
        with Image.open(uploaded) as img:
            img.load()  # verify() does not decode; a truncated file fails here
    except ValidationError:
        raise
    except Image.DecompressionBombError:
        raise ValidationError("Ảnh có kích thước điểm ảnh quá lớn.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise ValidationError(
            "Tệp không phải là ảnh hợp lệ. Chỉ nhận ảnh JPEG, PNG, GIF hoặc WebP."
        ) from None
    finally:
        uploaded.seek(0)
    if fmt not in ALLOWED_FORMATS:
        raise ValidationError(
            f"Định dạng ảnh {fmt or 'không rõ'} không được nhận. Chỉ nhận JPEG, PNG, GIF hoặc WebP."
        )
    return ALLOWED_FORMATS[fmt]


def open_rgb(field_file) -> Image.Image:
    """Decode a stored or uploaded image as upright RGB (transparency on white)."""
    field_file.open("rb")
    try:
        img = Image.open(field_file)
        img.load()
    finally:
        field_file.close()
    img = ImageOps.exif_transpose(img)
    if img.mode not in ("RGB", "L"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        rgba = img.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        img = background
    return img.convert("RGB")


def _jpeg(img: Image.Image, quality: int = 82) -> ContentFile:
    out = io.BytesIO()
    img.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return ContentFile(out.getvalue())


def thumbnail(img: Image.Image) -> ContentFile:
    return _jpeg(ImageOps.fit(img, THUMB_SIZE, Image.Resampling.LANCZOS))


def content_width(img: Image.Image) -> tuple[ContentFile, int, int]:
    if img.width > LARGE_WIDTH:
        height = round(img.height * LARGE_WIDTH / img.width)
        img = img.resize((LARGE_WIDTH, height), Image.Resampling.LANCZOS)
    return _jpeg(img), img.width, img.height


def rendition_name(original_name: str, suffix: str) -> str:
    stem = PurePath(original_name).stem or uuid.uuid4().hex
    return f"{stem}-{suffix}.jpg"
