"""Writes of the banners app that touch files."""

import io

from django.core.files.base import ContentFile
from PIL import Image

from banners import blocks
from banners.models import Banner, BannerPosition
from news import images

MAX_BANNER_BYTES = 5 * 1024 * 1024
# Twice the displayed width, for sharp banners on phones' dense screens.
BANNER_WIDTHS = {BannerPosition.Key.HEADER: 1600, "default": 640}


def _shrunk_jpeg(img: Image.Image, max_width: int) -> tuple[ContentFile, int, int]:
    """Upright, flattened on white, at most `max_width` wide, as a JPEG without metadata."""
    img = images.pixels_only(img)
    if img.mode not in ("RGB", "L"):
        rgba = img.convert("RGBA")
        flat = Image.new("RGB", img.size, (255, 255, 255))
        flat.paste(rgba, mask=rgba.split()[-1])
        img = flat
    img = img.convert("RGB")
    img.info = {}  # convert() copies it, and a JPEG save writes its comment back
    if img.width > max_width:
        height = max(1, round(img.height * max_width / img.width))
        img = img.resize((max_width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    img.save(out, "JPEG", quality=85, optimize=True, progressive=True)
    return ContentFile(out.getvalue()), img.width, img.height


def banner_resize_image(*, banner: Banner) -> None:
    """Shrink a newly uploaded banner image once to its position's width (JPEG), and record
    its size so the page reserves the space. Animated GIFs are kept as uploaded."""
    if not banner.image:
        if banner.width or banner.height:
            Banner.objects.filter(pk=banner.pk).update(width=0, height=0)
            banner.width = banner.height = 0
        return
    banner.image.open("rb")
    try:
        with Image.open(banner.image) as img:
            animated = getattr(img, "is_animated", False)
            if animated:
                width, height = img.size
            else:
                img.load()
                limit = BANNER_WIDTHS.get(banner.position_id, BANNER_WIDTHS["default"])
                content, width, height = _shrunk_jpeg(img, limit)
    finally:
        banner.image.close()
    if not animated:
        old = banner.image.name
        banner.image.save("banner.jpg", content, save=False)
        banner.image.storage.delete(old)
    banner.width, banner.height = width, height
    # update() does not send post_save: the admin's save already invalidated the block,
    # and the new file name must reach the cache too.
    Banner.objects.filter(pk=banner.pk).update(image=banner.image.name, width=width, height=height)
    blocks.invalidate()
