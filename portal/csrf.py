"""Django's CSRF token for a form, made in a few microseconds instead of about sixty.

`get_token(request)` is `django.middleware.csrf.get_token` with the same result: the
reader's secret (the CSRF cookie's value, or a new one the CSRF middleware then sets as the
cookie) masked with a fresh random mask (added character by character modulo 62), sent as
mask + cipher, so the token in every page differs (BREACH protection) and
CsrfViewMiddleware accepts it. Django
draws each of the 32 or 64 characters with its own `secrets.choice` call; here one
`os.urandom` read gives them all (rejection sampling keeps every character uniform over
the 62, as secrets.choice does) and the masking adds through a table.

The page cache fills every form's token of a cached page with one call per page view.
"""

import os

from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH

_N = len(CSRF_ALLOWED_CHARS)  # 62
_LIMIT = 256 - 256 % _N  # bytes at or above this would favour the first characters
_INDEX = {c: i for i, c in enumerate(CSRF_ALLOWED_CHARS)}
# _SUM[i][j] is the character of (i + j) mod 62: the mask's index plus the secret's.
_SUM = [[CSRF_ALLOWED_CHARS[(i + j) % _N] for j in range(_N)] for i in range(_N)]


def random_string(length: int = CSRF_SECRET_LENGTH) -> str:
    """`length` characters, each uniform over CSRF_ALLOWED_CHARS, from the OS's CSPRNG."""
    out: list[str] = []
    while len(out) < length:
        # 248 of 256 byte values are kept: 8 extra bytes almost always suffice.
        out.extend(CSRF_ALLOWED_CHARS[b % _N] for b in os.urandom(length + 8) if b < _LIMIT)
    return "".join(out[:length])


def mask(secret: str) -> str:
    """A new masked token of `secret` (Django's _mask_cipher_secret)."""
    mask_ = random_string(CSRF_SECRET_LENGTH)
    index = _INDEX
    cipher = "".join(_SUM[index[m]][index[s]] for m, s in zip(mask_, secret, strict=True))
    return mask_ + cipher


def get_token(request) -> str:
    """Like django.middleware.csrf.get_token: a masked token of this reader's secret, a new
    secret (sent as the CSRF cookie by the middleware) when the reader has none."""
    meta = request.META
    secret = meta.get("CSRF_COOKIE")
    if secret is None:
        secret = random_string(CSRF_SECRET_LENGTH)
        meta["CSRF_COOKIE"] = secret
    # Set the cookie (or renew its expiry), as Django's get_token does.
    meta["CSRF_COOKIE_NEEDS_UPDATE"] = True
    return mask(secret)
