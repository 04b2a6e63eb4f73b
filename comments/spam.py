"""Spam and abuse checks that need no network: text normalisation, markup and link
detection, blocked words, and the signed token that times how long the form was open.

The posting limits (per reader, per article) need the database and live in services.
"""

import re
import time
import unicodedata

from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.exceptions import ValidationError

from comments.models import BlockedWord

# Control characters other than newline and tab: never part of a reader's text.
_CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]")
# Something a browser would read as markup: "<b", "</", "<!", "<?". A lone "<" ("a < b",
# "<3") is fine.
_MARKUP_RE = re.compile(r"<[a-zA-Z/!?]")
# A link, written out ("https://...", "www...") or bare ("ten-mien.com.vn"); one match each.
_LINK_RE = re.compile(
    r"(?:https?://|ftp://|www\.)\S+"
    r"|\b[a-z0-9-]+(?:\.[a-z0-9-]+)*\.(?:com|net|org|vn|info|biz|xyz|top|site|online|ru|cn|io|ly)\b",
    re.IGNORECASE,
)

BLOCKED_WORDS_CACHE_KEY = "comments:blocked-words"
FORM_TOKEN_SALT = "comments.form-opened"  # noqa: S105 - a signing salt, not a secret
# A form left open longer than this must be sent again (the token also binds the article).
FORM_TOKEN_MAX_AGE = 2 * 24 * 3600


def clean_text(value: str) -> str:
    """NFC, Unix newlines, no control characters, no trailing spaces, at most one blank
    line in a row; line breaks are kept."""
    value = unicodedata.normalize("NFC", value).replace("\r\n", "\n").replace("\r", "\n")
    value = _CONTROL_RE.sub("", value)
    lines = [line.rstrip() for line in value.split("\n")]
    value = "\n".join(lines).strip()
    return re.sub(r"\n{3,}", "\n\n", value)


def clean_line(value: str) -> str:
    """A one-line field (the name): spaces collapsed, no control characters."""
    value = unicodedata.normalize("NFC", value)
    return " ".join(_CONTROL_RE.sub("", value).split())


def has_markup(value: str) -> bool:
    return _MARKUP_RE.search(value) is not None


def count_links(value: str) -> int:
    return len(_LINK_RE.findall(value))


def clean_message_body(value: str, noun: str, minimum: int) -> str:
    """A reader's message text (a comment, a contact letter) cleaned and checked: long
    enough, no markup, no more than COMMENT_MAX_LINKS links. `noun` starts each message
    ("Ý kiến", "Nội dung")."""
    body = clean_text(value)
    if len(body) < minimum:
        raise ValidationError(f"{noun} cần ít nhất {minimum} ký tự.")
    if has_markup(body):
        raise ValidationError(f"{noun} không được chứa mã HTML (các thẻ như <script>, <img>, <a>).")
    links = count_links(body)
    if links > settings.COMMENT_MAX_LINKS:
        raise ValidationError(
            f"{noun} có {links} liên kết; chỉ được phép tối đa "
            f"{settings.COMMENT_MAX_LINKS} liên kết."
        )
    return body


def _fold(value: str) -> str:
    return " ".join(unicodedata.normalize("NFC", value).casefold().split())


def blocked_words() -> list[str]:
    words = cache.get(BLOCKED_WORDS_CACHE_KEY)
    if words is None:
        words = sorted({_fold(w) for w in BlockedWord.objects.values_list("word", flat=True)})
        cache.set(BLOCKED_WORDS_CACHE_KEY, words, 3600)
    return words


def invalidate_blocked_words() -> None:
    cache.delete(BLOCKED_WORDS_CACHE_KEY)


def find_blocked_word(*texts: str) -> str | None:
    """The first blocked word that appears as a whole word (or phrase) in any text."""
    words = blocked_words()
    if not words:
        return None
    folded = [_fold(t) for t in texts if t]
    for word in words:
        pattern = re.compile(rf"(?<!\w){re.escape(word)}(?!\w)")
        if any(pattern.search(text) for text in folded):
            return word
    return None


def make_form_token(article_id: int | str, issued_at: float | None = None) -> str:
    """Signed (article, time the form was shown); checked when the form comes back. Other
    reader forms (the contact form) pass their own name instead of an article id."""
    issued = int(issued_at if issued_at is not None else time.time())
    return signing.dumps({"a": article_id, "t": issued}, salt=FORM_TOKEN_SALT, compress=False)


class FormTokenError(Exception):
    pass


def check_form_token(token: str, article_id: int | str, now: float | None = None) -> None:
    """Raise FormTokenError with the reader's message when the token is missing, forged,
    for another article, too fresh (a script) or too old."""
    now = now if now is not None else time.time()
    try:
        data = signing.loads(token or "", salt=FORM_TOKEN_SALT)
        opened, article = int(data["t"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        raise FormTokenError(
            "Biểu mẫu không hợp lệ. Vui lòng tải lại trang và gửi lại ý kiến."
        ) from None
    if article != str(article_id):
        raise FormTokenError("Biểu mẫu không thuộc bài viết này. Vui lòng gửi lại ý kiến.")
    age = now - opened
    if age < settings.COMMENT_MIN_SECONDS:
        raise FormTokenError(
            "Bạn gửi quá nhanh. Vui lòng đọc lại ý kiến của mình và bấm gửi sau vài giây."
        )
    if age > FORM_TOKEN_MAX_AGE:
        raise FormTokenError("Biểu mẫu đã hết hạn. Vui lòng bấm gửi lại ý kiến.")
