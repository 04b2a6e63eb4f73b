"""Server-side sanitising of rich text (article bodies, static pages) with nh3.

The allowlist matches what the editor can produce (headings, emphasis, lists, links,
tables, block quotes, figures with captions). Everything else is removed, whatever is
pasted or posted: no script/style, no event handlers, no style attributes, and
links and images only to http(s), mailto/tel or site-relative URLs (no javascript:, no data:).

Two things old articles (NukeViet's CKEditor) carry are kept in a safe form:
- a video from an allowed host (YouTube, Facebook, the hosts of EMBED_VIDEO_HOSTS) as an
  iframe rebuilt from its address alone, YouTube through youtube-nocookie.com (no tracking
  cookie until the reader plays it); any other iframe goes. The Content-Security-Policy's
  frame-src allows exactly these hosts (embed_hosts()).
- `text-align` (and an image's `float`) as one class of a fixed set (ALIGN_CLASSES), never as
  a style attribute.
The staff editor keeps both through an edit (its NodeClass alignment menu, ALIGN_CHOICES, and
the video node of static/js/prose-video.js); what it sends is cleaned here all the same.
"""

import html
import re
from urllib.parse import parse_qsl, quote, urlsplit

import nh3
from django.conf import settings

# What the editor offers (articles, static pages); the sanitiser below is the real guard.
EDITOR_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,
    "HardBreak": True,
    "Link": {"enableTarget": True, "protocols": ["http", "https", "mailto", "tel"]},
    "Table": True,
    # Without the row and cell nodes the editor's schema is invalid and it does not start.
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "Figure": True,
    "Caption": True,
    "Image": True,
    "History": True,
    # Alignment classes (ALIGN_CHOICES below), chosen from the editor's "Căn lề" menu and
    # kept on the elements the sanitiser keeps them on.
    "NodeClass": {"cssClasses": {}},
    # static/js/prose-video.js (settings.DJANGO_PROSE_EDITOR_EXTENSIONS): the iframe video
    # node, so a body's video survives an edit, and the "Chèn video" button.
    "VideoEmbed": True,
}

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "figure", "figcaption", "img", "code", "pre",
}  # fmt: skip
ALLOWED_TAGS.add("iframe")
# Every attribute but the address and size is rebuilt by _embed(); listed so a second pass
# keeps the rebuilt iframe as it is.
IFRAME_ATTRIBUTES = {"src", "width", "height", "title", "loading", "referrerpolicy",
                     "allowfullscreen"}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "iframe": IFRAME_ATTRIBUTES,
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": set(),
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

# Alignment, as the only classes the body keeps (static/css/site.css styles them).
TEXT_ALIGN = {"left": "text-left", "center": "text-center", "right": "text-right",
              "justify": "text-justify"}  # fmt: skip
FLOAT_ALIGN = {"left": "align-left", "right": "align-right"}
ALIGNABLE = ("p", "h2", "h3", "h4", "h5", "h6", "blockquote", "li", "td", "th", "figure")
ALLOWED_CLASSES = {tag: set(TEXT_ALIGN.values()) for tag in ALIGNABLE}
ALLOWED_CLASSES["img"] = set(FLOAT_ALIGN.values())
ALLOWED_CLASSES["figure"] |= set(FLOAT_ALIGN.values())

# The editor's alignment menu, one entry per kind of element: (title, classes offered).
_TEXT_ALIGN_TITLES = {"left": "căn trái", "center": "căn giữa", "right": "căn phải",
                      "justify": "căn đều hai bên"}  # fmt: skip
_TEXT_CHOICES = [{"className": TEXT_ALIGN[k], "title": t} for k, t in _TEXT_ALIGN_TITLES.items()]
_FLOAT_CHOICES = [
    {"className": FLOAT_ALIGN["left"], "title": "nằm bên trái, chữ bao quanh"},
    {"className": FLOAT_ALIGN["right"], "title": "nằm bên phải, chữ bao quanh"},
]
ALIGN_CHOICES = {
    "paragraph": ("Đoạn văn", _TEXT_CHOICES),
    "heading": ("Tiêu đề", _TEXT_CHOICES),
    "blockquote": ("Trích dẫn", _TEXT_CHOICES),
    "listItem": ("Mục danh sách", _TEXT_CHOICES),
    "tableCell": ("Ô bảng", _TEXT_CHOICES),
    "tableHeader": ("Ô tiêu đề bảng", _TEXT_CHOICES),
    "figure": ("Ảnh", [*_FLOAT_CHOICES, {"className": TEXT_ALIGN["center"], "title": "ở giữa"}]),
    # A bare image (outside a figure) cannot be chosen from the menu, only kept.
    "image": ("Ảnh", _FLOAT_CHOICES),
}
EDITOR_EXTENSIONS["NodeClass"]["cssClasses"] = {
    node: {"title": title, "cssClasses": choices}
    for node, (title, choices) in ALIGN_CHOICES.items()
}

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtube-nocookie.com",
                 "www.youtube-nocookie.com"}  # fmt: skip
FACEBOOK_HOSTS = {"facebook.com", "www.facebook.com", "web.facebook.com"}
_YOUTUBE_ID = re.compile(r"/embed/([A-Za-z0-9_-]{6,20})/?")
_SAFE_PATH = re.compile(r"/[A-Za-z0-9/_.~-]*")
_SAFE_QUERY = re.compile(r"[A-Za-z0-9_.~=&-]*")


def embed_hosts() -> list[str]:
    """The frame sources the CSP allows: what embed_src() can return."""
    return ["https://www.youtube-nocookie.com", "https://www.facebook.com",
            *(f"https://{h}" for h in settings.EMBED_VIDEO_HOSTS)]  # fmt: skip


def embed_src(value: str) -> str | None:
    """The embed address of an allowed video, rebuilt from its parts, or None."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https", "") or not parts.netloc:
        return None
    host = (parts.hostname or "").lower()
    if host in YOUTUBE_HOSTS:
        match = _YOUTUBE_ID.fullmatch(parts.path)
        return f"https://www.youtube-nocookie.com/embed/{match.group(1)}" if match else None
    if host in FACEBOOK_HOSTS and parts.path == "/plugins/video.php":
        href = dict(parse_qsl(parts.query)).get("href", "")
        target = urlsplit(href)
        if target.scheme == "https" and (target.hostname or "").lower() in FACEBOOK_HOSTS:
            return "https://www.facebook.com/plugins/video.php?href=" + quote(href, safe="")
        return None
    if host in settings.EMBED_VIDEO_HOSTS and parts.port is None:
        if not _SAFE_PATH.fullmatch(parts.path or "/") or not _SAFE_QUERY.fullmatch(parts.query):
            return None
        return f"https://{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")
    return None


def _allowed_src(src: str) -> bool:
    """Images only from this site's media (uploaded through the staff endpoint) or http(s)."""
    src = src.strip()
    return src.startswith((settings.MEDIA_URL, "https://", "http://")) and "\\" not in src


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and not _allowed_src(value):
        return None
    if tag == "iframe":
        if attr == "src":
            return embed_src(value)
        if attr in ("width", "height"):
            return value if value.isdigit() and 0 < int(value) <= 2000 else None
        return None  # rebuilt by _embed()
    return value


# A start tag of an alignable element and its attributes, one at a time; the value of a
# quoted attribute is never read as attributes.
_START_TAG = re.compile(r"<(" + "|".join(ALIGNABLE) + r"|img)(\s[^<>]*?)?(/?)>", re.IGNORECASE)
_ATTRIBUTE = re.compile(r"""\s+([^\s"'<>/=]+)(?:\s*=\s*("[^"]*"|'[^']*'|[^\s"'=<>`]+))?""")
_DECLARATION = re.compile(r"(text-align|float)\s*:\s*(left|center|right|justify)\b", re.I)


def _align_class(tag: str, style: str) -> str:
    found = {k.lower(): v.lower() for k, v in _DECLARATION.findall(style)}
    if tag == "img":
        return FLOAT_ALIGN.get(found.get("float", ""), "")
    if tag == "figure" and found.get("float") in FLOAT_ALIGN:
        return FLOAT_ALIGN[found["float"]]
    return TEXT_ALIGN.get(found.get("text-align", ""), "")


def _style_to_class(match: re.Match) -> str:
    tag, attrs, slash = match.group(1).lower(), match.group(2) or "", match.group(3)
    pairs, end = [], 0
    for attribute in _ATTRIBUTE.finditer(attrs):
        if attribute.start() != end:
            return match.group(0)  # not plain attributes: left to the sanitiser as it is
        pairs.append((attribute.group(1).lower(), attribute.group(0), attribute.group(2) or ""))
        end = attribute.end()
    if attrs[end:].strip() or not any(name == "style" for name, _, _ in pairs):
        return match.group(0)
    style = " ".join(value.strip("\"'") for name, _, value in pairs if name == "style")
    kept = "".join(raw for name, raw, _ in pairs if name not in ("style", "class"))
    css = _align_class(tag, style)
    css_attr = f' class="{css}"' if css else ""
    return f"<{match.group(1)}{kept}{css_attr}{slash}>"


_EMPTY_CLASS = re.compile(r'(<[a-z][a-z0-9]*\b[^<>]*?) class=""')
_IFRAME = re.compile(r"<iframe\b([^>]*)>.*?</iframe>", re.IGNORECASE | re.DOTALL)
_IFRAME_ATTR = re.compile(r'\s(src|width|height)="([^"]*)"')


def _embed(match: re.Match) -> str:
    """An allowed video, rebuilt the same way on every pass; an iframe without an allowed
    address (the sanitiser dropped it) goes."""
    found = dict(_IFRAME_ATTR.findall(match.group(1)))
    if not found.get("src"):
        return ""
    size = "".join(f' {k}="{found[k]}"' for k in ("width", "height") if found.get(k))
    return (
        f'<iframe src="{found["src"]}"{size} title="Video" loading="lazy" '
        'referrerpolicy="strict-origin-when-cross-origin" allowfullscreen=""></iframe>'
    )


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    allowed_classes=ALLOWED_CLASSES,
    strip_comments=True,
    clean_content_tags={"script", "style"},
    attribute_filter=_filter,
)


def sanitize_html(html: str) -> str:
    """Return safe HTML. Idempotent: sanitising twice gives the same result."""
    if not html:
        return ""
    html = html.replace("\x00", "")
    if "style" in html:
        html = _START_TAG.sub(_style_to_class, html)
    cleaned = _cleaner.clean(html)
    # Mis-nested input (a heading inside a heading) serialises to markup that the parser
    # reads differently the next time; a second pass makes the result a fixed point, so
    # saving an article twice never changes it.
    cleaned = _cleaner.clean(cleaned)
    if "<iframe" in cleaned:
        cleaned = _IFRAME.sub(_embed, cleaned)
    if ' class=""' in cleaned:  # every class was outside the fixed set
        cleaned = _EMPTY_CLASS.sub(r"\1", cleaned)
    # A carriage return (typed, or decoded from &#13;) is written back raw, and an HTML
    # parser reads it as a line feed: write the line feed, so a second pass changes nothing.
    cleaned = cleaned.replace("\r\n", "\n").replace("\r", "\n")
    # ProseMirror stores an empty document as one empty paragraph.
    if cleaned.strip() in ("<p></p>", "<p><br></p>"):
        return ""
    return cleaned


_text_only = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style"}, strip_comments=True)


def text_of(value: str) -> str:
    """The text of an HTML fragment: tags dropped with the content of script/style,
    entities decoded. The result may contain "<" typed as text: escape it for HTML."""
    if not value:
        return ""
    return html.unescape(_text_only.clean(value.replace("\x00", ""))).strip()


def plain_text(value: str) -> str:
    """Text with no markup for places that other programs may read as HTML without
    escaping it (feed titles): text_of() without angle brackets (a title has no use for
    one), so that no further decoding can turn it back into a tag."""
    return text_of(value).replace("<", "").replace(">", "").strip()
