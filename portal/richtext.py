"""Server-side sanitising of rich text (article bodies, static pages) with nh3.

The allowlist matches what the editor can produce (headings, emphasis, lists, links,
tables, block quotes, figures with captions). Everything else is removed, whatever is
pasted or posted: no script/style/iframe, no event handlers, no style attributes, and
links and images only to http(s), mailto/tel or site-relative URLs (no javascript:, no data:).
"""

import html

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
}

ALLOWED_TAGS = {
    "p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s",
    "sub", "sup", "blockquote", "ul", "ol", "li", "a", "table", "thead", "tbody", "tfoot",
    "tr", "th", "td", "caption", "figure", "figcaption", "img", "code", "pre",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "target"},
    "img": {"src", "alt", "width", "height", "title"},
    "th": {"colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
    "*": set(),
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


def _allowed_src(src: str) -> bool:
    """Images only from this site's media (uploaded through the staff endpoint) or http(s)."""
    src = src.strip()
    return src.startswith((settings.MEDIA_URL, "https://", "http://")) and "\\" not in src


def _filter(tag: str, attr: str, value: str) -> str | None:
    if tag == "img" and attr == "src" and not _allowed_src(value):
        return None
    return value


_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer",
    strip_comments=True,
    clean_content_tags={"script", "style"},
    attribute_filter=_filter,
)


def sanitize_html(html: str) -> str:
    """Return safe HTML. Idempotent: sanitising twice gives the same result."""
    if not html:
        return ""
    cleaned = _cleaner.clean(html.replace("\x00", ""))
    # Mis-nested input (a heading inside a heading) serialises to markup that the parser
    # reads differently the next time; a second pass makes the result a fixed point, so
    # saving an article twice never changes it.
    cleaned = _cleaner.clean(cleaned)
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
