"""Vietnamese text helpers shared by the apps."""

import unicodedata

from django.utils.text import slugify


def vn_slugify(value: str, max_length: int = 200) -> str:
    """ASCII slug from Vietnamese: 'Đà Nẵng đón khách' -> 'da-nang-don-khach'.

    Django's slugify drops 'đ' (it has no decomposition), so it is mapped first.
    """
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    value = "".join(ch for ch in value if not unicodedata.combining(ch))
    return cut_at_word(slugify(value), max_length, "-")


def cut_at_word(text: str, limit: int, separators: str = " -_") -> str:
    """`text` at most `limit` characters long, cut after a whole word when it has to be
    cut (a file or link name ending in "tuyen-gia" reads as a typo)."""
    if len(text) <= limit:
        return text.strip(separators)
    head = text[: limit + 1]
    cut = max(head.rfind(sep) for sep in separators)
    return (head[:cut] if cut > 0 else text[:limit]).strip(separators)


def strip_accents(value: str) -> str:
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch))
