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
    return slugify(value)[:max_length].strip("-")


def strip_accents(value: str) -> str:
    value = value.replace("đ", "d").replace("Đ", "D")
    value = unicodedata.normalize("NFKD", value)
    return "".join(ch for ch in value if not unicodedata.combining(ch))
