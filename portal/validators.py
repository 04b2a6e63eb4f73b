"""Checks on addresses that staff type and readers are sent to (banner targets, social
links). Only absolute http(s) addresses with a host and no credentials are kept, so a
stored link can never run script (javascript:), inherit the scheme (//host) or smuggle a
user name past a reader's eye (https://bank.example@evil.example)."""

import re
from urllib.parse import urlsplit

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import models

_SCHEME_RE = re.compile(r"^https?://", re.IGNORECASE)
_url_shape = URLValidator(schemes=["http", "https"])


def validate_public_url(value: str) -> None:
    if not value:
        return
    if any(ch.isspace() or ord(ch) < 32 or ch == "\\" for ch in value):
        raise ValidationError(
            "Địa chỉ không được chứa khoảng trắng, ký tự điều khiển hoặc dấu \\.",
            code="invalid_chars",
        )
    if not _SCHEME_RE.match(value):
        raise ValidationError(
            "Chỉ nhận địa chỉ đầy đủ bắt đầu bằng http:// hoặc https://.", code="scheme"
        )
    try:
        parts = urlsplit(value)
    except ValueError:
        raise ValidationError("Địa chỉ không hợp lệ.", code="invalid") from None
    if "@" in parts.netloc:
        raise ValidationError(
            "Địa chỉ không được chứa tên đăng nhập hoặc mật khẩu.", code="credentials"
        )
    if not parts.hostname:
        raise ValidationError("Địa chỉ thiếu tên miền.", code="host")
    _url_shape(value)


class PublicURLFormField(forms.URLField):
    """A URL field that refuses, instead of 'fixing', an address without http(s)://.

    Django's URLField prefixes a scheme to `//evil.example` or `evil.example`; here the
    editor is told to type the full address, so what is stored is what was checked.
    """

    default_validators = [validate_public_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if value:
            validate_public_url(value)
        return value


class PublicURLField(models.URLField):
    default_validators = [validate_public_url]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 500)
        super().__init__(*args, **kwargs)

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": PublicURLFormField, **kwargs})
