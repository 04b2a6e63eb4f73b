"""Image checks and renditions (Pillow). Renditions are made once, when the image is saved.

Each rendition is stored as a JPEG and, beside it under the same name, as a WebP
(`x-large.jpg`, `x-large.webp`), with a narrower copy for phones (`x-large-720.jpg`, ...).
Pages derive the siblings' URLs from the JPEG's name (`sibling`): no query, no file check
per request. `Article.image_renditions` says which set an article's files are (RENDITIONS).

No stored image carries metadata: an uploaded original is re-encoded without it
(`clean_upload`: comments, EXIF with the GPS position and the camera's serial number, XMP,
ICC profiles after converting the colours to sRGB), with the EXIF orientation applied to
the pixels; renditions are made from pixels only (`pixels_only`).
"""

import io
import uuid
from pathlib import PurePath

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image, ImageCms, ImageOps, ImageSequence, UnidentifiedImageError

MAX_IMAGE_BYTES = 10 * 1024 * 1024
MAX_PIXELS = 40_000_000  # a decompression bomb is refused before it is decoded
ALLOWED_FORMATS = {"JPEG": ".jpg", "PNG": ".png", "GIF": ".gif", "WEBP": ".webp"}
THUMB_SIZE = (480, 300)
LARGE_WIDTH = 1200
# The narrower copies in srcset: a list thumbnail shown 120-200 CSS px wide, and the
# content width for a 360 CSS px phone at 2x.
SMALL_THUMB_WIDTH = 240
MEDIUM_WIDTH = 720
# The current rendition set: 3 = JPEG and WebP of the thumbnail (480, 240) and of
# the content width (1200, 720), from an original without metadata. 2: the same, made
# before metadata was stripped; 0: made before WebP (`manage.py make_renditions` updates).
RENDITIONS = 3
# The oldest set that has every file pages link (the WebP and narrow copies).
PAGE_RENDITIONS = 2
# What an image keeps of what it came with: how it is drawn (transparency, an animation's
# timing), nothing about where, when or with what it was taken.
KEPT_INFO = {"transparency", "background", "duration", "loop", "disposal"}
# What Pillow reads from a file of ours: how it is encoded, not what it shows or where from.
_ENCODING_INFO = {
    "jfif", "jfif_version", "jfif_unit", "jfif_density", "dpi", "progressive", "progression",
    "adobe", "adobe_transform", "version", "extension", "interlace", "gamma", "aspect",
    "lossless", "background", "transparency", "duration", "loop", "disposal",
}  # fmt: skip
_SRGB = ImageCms.createProfile("sRGB")


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


def _in_srgb(img: Image.Image) -> Image.Image:
    """The pixels converted to sRGB when an ICC profile says they are in another space (a
    phone's Display P3, Adobe RGB, a print CMYK), so that the profile can be dropped
    without changing the colours. A profile that cannot be read is ignored."""
    icc = img.info.get("icc_profile")
    if not icc or img.mode not in ("RGB", "RGBA", "CMYK"):
        return img
    try:
        source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
        mode = "RGBA" if img.mode == "RGBA" else "RGB"
        return ImageCms.profileToProfile(img, source, _SRGB, outputMode=mode)
    except (ImageCms.PyCMSError, OSError, ValueError):
        return img


def pixels_only(img: Image.Image) -> Image.Image:
    """Upright, in sRGB, with no metadata left to be written back by a save (Pillow writes
    a JPEG comment from `info`)."""
    img = _in_srgb(ImageOps.exif_transpose(img))
    img.info = {k: v for k, v in img.info.items() if k in KEPT_INFO}
    return img


def open_rgb(field_file) -> Image.Image:
    """Decode a stored or uploaded image as upright RGB (transparency on white), pixels
    only."""
    field_file.open("rb")
    try:
        img = Image.open(field_file)
        img.load()
    finally:
        field_file.close()
    img = pixels_only(img)
    if img.mode not in ("RGB", "L"):
        background = Image.new("RGB", img.size, (255, 255, 255))
        rgba = img.convert("RGBA")
        background.paste(rgba, mask=rgba.split()[-1])
        img = background
    img = img.convert("RGB")
    img.info = {}
    return img


def _encode(img: Image.Image, fmt: str) -> bytes:
    """An image file with the pixels (every frame of an animation) and nothing else."""
    out = io.BytesIO()
    if getattr(img, "is_animated", False):
        frames = []
        durations = []
        for frame in ImageSequence.Iterator(img):
            durations.append(frame.info.get("duration", 100))
            copy = frame.copy()
            copy.info = {k: v for k, v in frame.info.items() if k in KEPT_INFO}
            frames.append(copy)
        options = {"save_all": True, "append_images": frames[1:], "duration": durations}
        if "loop" in img.info:
            options["loop"] = img.info["loop"]
        if fmt == "GIF" and "transparency" in frames[0].info:
            options["transparency"] = frames[0].info["transparency"]
        if fmt == "WEBP":
            options["quality"] = 90
        frames[0].save(out, fmt, **options)
        return out.getvalue()
    img = pixels_only(img)
    if fmt == "JPEG":
        if img.mode not in ("RGB", "L"):
            img = img.convert("RGB")
        img.save(out, "JPEG", quality=90, optimize=True)
    elif fmt == "WEBP":
        img.save(out, "WEBP", quality=90)
    elif fmt == "GIF":
        options = {"transparency": img.info["transparency"]} if "transparency" in img.info else {}
        img.save(out, "GIF", **options)
    else:
        img.save(out, "PNG", optimize=True)
    return out.getvalue()


def clean_bytes(data: bytes) -> bytes:
    """The same image, re-encoded in its own format without metadata (see module doc)."""
    with Image.open(io.BytesIO(data)) as img:
        img.load()
        return _encode(img, img.format)


def clean_upload(uploaded, name: str) -> SimpleUploadedFile:
    """An upload (already accepted by check_image) re-encoded without metadata, to be
    stored under `name`; still an upload for the form that holds it."""
    uploaded.seek(0)
    data = clean_bytes(uploaded.read())
    content_type = getattr(uploaded, "content_type", None) or "application/octet-stream"
    return SimpleUploadedFile(name, data, content_type=content_type)


def has_metadata(data: bytes) -> bool:
    with Image.open(io.BytesIO(data)) as img:
        frames = ImageSequence.Iterator(img) if getattr(img, "is_animated", False) else [img]
        for frame in frames:
            if set(frame.info) - _ENCODING_INFO or frame.getexif():
                return True
    return False


def clean_stored(field_file) -> bool:
    """Rewrite a stored image that carries metadata without it, under the same name (pages
    and caches keep their links); a clean one is left as it is (a JPEG is not encoded
    again for nothing). Returns whether the file changed."""
    storage, name = field_file.storage, field_file.name
    with storage.open(name, "rb") as f:
        data = f.read()
    if not has_metadata(data):
        return False
    cleaned = clean_bytes(data)
    storage.delete(name)
    saved = storage.save(name, ContentFile(cleaned))
    if saved != name:  # pragma: no cover - a storage that renames on its own
        raise RuntimeError(f"image stored as {saved!r}, expected {name!r}")
    return True


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
