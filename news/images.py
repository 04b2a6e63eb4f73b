"""Image checks and renditions (Pillow). Renditions are made once, when the image is saved.

Each rendition is stored as a JPEG and, beside it under the same name, as a WebP
(`x-large.jpg`, `x-large.webp`), with a narrower copy for phones (`x-large-720.jpg`, ...).
Pages derive the siblings' URLs from the JPEG's name (`sibling`): no query, no file check
per request. `Article.image_renditions` says which set an article's files are (RENDITIONS).
"""

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
# The narrower copies in srcset: a list thumbnail shown 120-200 CSS px wide, and the
# content width for a 360 CSS px phone at 2x.
SMALL_THUMB_WIDTH = 240
MEDIUM_WIDTH = 720
# The rendition set pages may rely on: 2 = JPEG and WebP of the thumbnail (480, 240) and of
# the content width (1200, 720). 0: made before WebP (`manage.py make_renditions` updates).
RENDITIONS = 2


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


def _webp(img: Image.Image, quality: int = 75) -> ContentFile:
    out = io.BytesIO()
    img.save(out, "WEBP", quality=quality, method=4)
    return ContentFile(out.getvalue())


def fit_thumbnail(img: Image.Image) -> Image.Image:
    return ImageOps.fit(img, THUMB_SIZE, Image.Resampling.LANCZOS)


def thumbnail(img: Image.Image) -> ContentFile:
    return _jpeg(fit_thumbnail(img))


def at_most(img: Image.Image, width: int) -> Image.Image:
    if img.width <= width:
        return img
    height = round(img.height * width / img.width)
    return img.resize((width, height), Image.Resampling.LANCZOS)


def content_width(img: Image.Image) -> tuple[ContentFile, int, int]:
    img = at_most(img, LARGE_WIDTH)
    return _jpeg(img), img.width, img.height


def sibling(name: str, *, width: int | None = None, ext: str = ".jpg") -> str:
    """The stored name of a rendition's sibling: another width and/or WebP."""
    stem = name.rsplit(".", 1)[0] if "." in PurePath(name).name else name
    return f"{stem}-{width}{ext}" if width else f"{stem}{ext}"


def sibling_names(name: str) -> list[str]:
    """Every sibling `save_siblings` may store beside `name` (to remove them with it)."""
    names = [sibling(name, ext=".webp")]
    for width in (SMALL_THUMB_WIDTH, MEDIUM_WIDTH):
        names += [sibling(name, width=width), sibling(name, width=width, ext=".webp")]
    return names


def save_siblings(storage, name: str, img: Image.Image, narrow_width: int) -> bool:
    """Store the WebP of `img` (already stored as JPEG under `name`), and a JPEG and a WebP
    `narrow_width` wide when `img` is wider. Returns whether the narrow copy was made.

    The siblings' names are derived, never chosen by the storage: a stale file there is ours
    (an earlier run) and is replaced.
    """
    files = [(sibling(name, ext=".webp"), _webp(img))]
    narrow = img.width > narrow_width
    if narrow:
        small = at_most(img, narrow_width)
        files += [
            (sibling(name, width=narrow_width), _jpeg(small)),
            (sibling(name, width=narrow_width, ext=".webp"), _webp(small)),
        ]
    for target, content in files:
        if storage.exists(target):
            storage.delete(target)
        saved = storage.save(target, content)
        if saved != target:  # pragma: no cover - a storage that renames on its own
            raise RuntimeError(f"rendition stored as {saved!r}, expected {target!r}")
    return narrow


def jpeg(img: Image.Image) -> ContentFile:
    return _jpeg(img)


def rendition_name(original_name: str, suffix: str) -> str:
    stem = PurePath(original_name).stem or uuid.uuid4().hex
    return f"{stem}-{suffix}.jpg"
