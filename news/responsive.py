"""Images of reader pages: `<picture>` with WebP and JPEG, srcset and sizes, width and height
(nothing jumps while the page loads), lazy below the fold.

Featured images and thumbnails take their URLs from the article's fields (news.images
derives the siblings' names): no query and no file check per image. Images inside a body are
rewritten when the body's fragment is rendered (cached, see news/article.html), from the
sanitised HTML: only `<img>` elements are touched, and every attribute written is built here
from the sanitiser's output (src already checked, alt/title/width/height escaped again).
"""

import html
import re
from urllib.parse import unquote

from django.conf import settings
from django.core.files.storage import default_storage
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from PIL import Image

from news import images

# How wide each image is shown (CSS px), for the browser to choose before the CSS arrives:
# static/css/site.css (one column under 900px; main column next to a 320px sidebar above).
SIZES_LIST_THUMB = "(min-width: 600px) 200px, 120px"
SIZES_LEAD_THUMB = "(min-width: 600px) 480px, 100vw"
SIZES_CONTENT = "(min-width: 900px) 830px, 100vw"


def _srcset(storage, name: str, width: int, narrow: int | None, ext: str) -> str:
    full = storage.url(images.sibling(name, ext=ext))
    if not narrow:
        return f"{full} {width}w"
    return f"{storage.url(images.sibling(name, width=narrow, ext=ext))} {narrow}w, {full} {width}w"


def picture(
    storage,
    name: str,
    *,
    width: int,
    height: int,
    narrow: int | None,
    sizes: str,
    alt: str | None,
    eager: bool = False,
    extra: str = "",
) -> SafeString:
    """A `<picture>`: WebP for browsers that take it, the JPEG (the `name` stored) otherwise.

    `narrow` is the width of the narrower copy beside it, or None when there is none.
    """
    loading = _loading(eager)
    return format_html(
        '<picture><source type="image/webp" srcset="{}" sizes="{}">'
        '<img src="{}" srcset="{}" sizes="{}" width="{}" height="{}"{}{}'
        '{}></picture>',
        _srcset(storage, name, width, narrow, ".webp"), sizes,
        storage.url(name), _srcset(storage, name, width, narrow, ".jpg"), sizes,
        width, height, _alt(alt), mark_safe(loading), mark_safe(extra),
    )  # fmt: skip


def _loading(eager: bool) -> str:
    # The first image of a page (the largest paint, usually) is fetched first and decoded in
    # step with the page; the others wait until the reader scrolls near them.
    return ' fetchpriority="high"' if eager else ' loading="lazy" decoding="async"'


def _alt(alt: str | None) -> str:
    # A body image keeps what the editor wrote: no alt stays without one (never made "").
    return "" if alt is None else format_html(' alt="{}"', alt)


def _plain(url: str, *, alt: str, width: int, height: int, eager: bool) -> SafeString:
    size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
    loading = _loading(eager)
    return format_html('<img src="{}"{}{}{}>', url, _alt(alt), size, mark_safe(loading))


def article_thumb(article, *, lead: bool = False, eager: bool = False) -> SafeString:
    """The list thumbnail (480x300, a 240 copy beside it) of an article from `for_list()`."""
    if not article.image_thumb:
        return SafeString("")
    alt = article.image_caption or article.title
    width, height = images.THUMB_SIZE
    sizes = SIZES_LEAD_THUMB if lead else SIZES_LIST_THUMB
    if article.image_renditions < images.PAGE_RENDITIONS:
        return _plain(article.image_thumb.url, alt=alt, width=width, height=height, eager=eager)
    return picture(
        article.image_thumb.storage, article.image_thumb.name, width=width, height=height,
        narrow=images.SMALL_THUMB_WIDTH, sizes=sizes, alt=alt, eager=eager,
    )  # fmt: skip


def article_image(article, *, eager: bool = True) -> SafeString:
    """The featured image at content width (a 720 copy beside it when wider)."""
    if not article.image_large:
        return SafeString("")
    alt = article.image_caption or article.title
    width, height = article.image_width, article.image_height
    if article.image_renditions < images.PAGE_RENDITIONS or not (width and height):
        return _plain(article.image_large.url, alt=alt, width=width, height=height, eager=eager)
    narrow = images.MEDIUM_WIDTH if width > images.MEDIUM_WIDTH else None
    return picture(
        article.image_large.storage, article.image_large.name, width=width, height=height,
        narrow=narrow, sizes=SIZES_CONTENT, alt=alt, eager=eager,
    )  # fmt: skip


# The sanitiser (portal.richtext, nh3) writes every attribute value in double quotes, so a
# ">" inside a value never ends the match.
_IMG = re.compile(r'<img((?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:="[^"]*")?)*)\s*/?>')
_ATTR = re.compile(r'([a-zA-Z_:][-a-zA-Z0-9_:.]*)(?:="([^"]*)")?')


def _local_name(src: str) -> str | None:
    """The stored name of an image of our media (a body image), or None."""
    if not src.startswith(settings.MEDIA_URL):
        return None
    name = unquote(src[len(settings.MEDIA_URL) :])
    if not name or name.startswith("/") or ".." in name.split("/") or "\\" in name:
        return None
    return name


def _size(storage, name: str) -> tuple[int, int] | None:
    try:
        with storage.open(name, "rb") as f, Image.open(f) as img:
            return img.size
    except (OSError, ValueError, Image.DecompressionBombError):
        return None


def _body_image(attrs: dict[str, str], *, eager: bool) -> str:
    storage = default_storage
    src = attrs.get("src", "")
    alt = attrs.get("alt")
    extra = format_html(' title="{}"', attrs["title"]) if attrs.get("title") else ""
    name = _local_name(src)
    real = None
    if name and name.lower().endswith(".jpg") and storage.exists(images.sibling(name, ext=".webp")):
        real = _size(storage, name)
    if real is None:
        # Someone else's image, an animation, or one stored before WebP: as it is, lazily.
        width, height = attrs.get("width", ""), attrs.get("height", "")
        if not (width.isdigit() and height.isdigit()) and name:
            width, height = _size(storage, name) or ("", "")
        size = format_html(' width="{}" height="{}"', width, height) if width and height else ""
        loading = _loading(eager)
        return format_html(
            '<img src="{}"{}{}{}{}>',
            src, _alt(alt), extra, size, mark_safe(loading),
        )  # fmt: skip
    width, height = real
    narrow = images.MEDIUM_WIDTH
    if not (width > narrow and storage.exists(images.sibling(name, width=narrow))):
        narrow = None
    return picture(
        storage, name, width=width, height=height, narrow=narrow, sizes=SIZES_CONTENT,
        alt=alt, eager=eager, extra=extra,
    )  # fmt: skip


def body_html(body: str, *, eager_first: bool = False) -> SafeString:
    """The sanitised body with each `<img>` made responsive; all lazy unless `eager_first`
    (a page with no featured image: the first body image is near the top)."""
    if not body or "<img" not in body:
        return mark_safe(body or "")  # noqa: S308 - sanitised when saved
    seen = 0

    def replace(match: re.Match) -> str:
        nonlocal seen
        attrs = {k.lower(): html.unescape(v or "") for k, v in _ATTR.findall(match.group(1))}
        if not attrs.get("src"):
            return escape("")
        eager = eager_first and seen == 0
        seen += 1
        return _body_image(attrs, eager=eager)

    return mark_safe(_IMG.sub(replace, body))  # noqa: S308 - built from escaped values
