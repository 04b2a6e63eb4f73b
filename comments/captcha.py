"""An image captcha that works on a closed network and keeps no server state.

The form carries a signed token {nonce, article}; the answer is derived from the nonce with
an HMAC under SECRET_KEY, so the token does not reveal it and nothing is stored. The image
view and the check both derive it again. A token expires after CAPTCHA_MAX_AGE; within that
time a solved token could be reused, which the posting limits bound.
"""

import hashlib
import hmac
import io
import math
import random
import secrets

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare

SALT = "comments.captcha"
CAPTCHA_MAX_AGE = 30 * 60
LENGTH = 5
# No look-alikes (0/O, 1/I/L, 2/Z, 5/S, 8/B, G/6).
ALPHABET = "ACDEFHJKMNPRTUVWXY34679"
WIDTH, HEIGHT = 180, 60


def new_token(article_id: int | str) -> str:
    return signing.dumps({"n": secrets.token_hex(8), "a": article_id}, salt=SALT, compress=False)


def _nonce(token: str, article_id: int | str | None = None) -> str | None:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=CAPTCHA_MAX_AGE)
        nonce, article = str(data["n"]), str(data["a"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    if article_id is not None and article != str(article_id):
        return None
    return nonce


def _answer_for(nonce: str) -> str:
    digest = hmac.new(
        settings.SECRET_KEY.encode(), f"{SALT}:{nonce}".encode(), hashlib.sha256
    ).digest()
    return "".join(ALPHABET[b % len(ALPHABET)] for b in digest[:LENGTH])


def answer(token: str) -> str | None:
    """The expected answer of a valid token (for the image and for tests)."""
    nonce = _nonce(token)
    return _answer_for(nonce) if nonce else None


def check(token: str, given: str, article_id: int | str) -> bool:
    nonce = _nonce(token, article_id)
    if nonce is None:
        return False
    given = "".join((given or "").split()).upper()
    return constant_time_compare(given, _answer_for(nonce))


def is_valid_token(token: str) -> bool:
    return _nonce(token) is not None


def render_png(token: str) -> bytes:
    """Distorted letters on a noisy background, drawn with Pillow's built-in font."""
    # Imported here: only the captcha image loads Pillow's drawing modules into a worker.
    from PIL import Image, ImageDraw, ImageFilter, ImageFont

    text = answer(token) or ""
    rng = random.Random(token)  # noqa: S311 - noise only; the same token draws the same image
    image = Image.new("RGB", (WIDTH, HEIGHT), (246, 243, 236))
    draw = ImageDraw.Draw(image)
    for _ in range(260):  # speckles
        x, y = rng.randrange(WIDTH), rng.randrange(HEIGHT)
        draw.point((x, y), fill=tuple(rng.randrange(110, 220) for _ in range(3)))
    font = ImageFont.load_default(size=40)
    x = 10
    for char in text:
        glyph = Image.new("RGBA", (48, 56), (0, 0, 0, 0))
        color = (rng.randrange(10, 90), rng.randrange(10, 90), rng.randrange(60, 140), 255)
        ImageDraw.Draw(glyph).text((10, 6), char, font=font, fill=color)
        glyph = glyph.rotate(rng.uniform(-28, 28), resample=Image.BICUBIC, expand=False)
        image.paste(glyph, (x, rng.randrange(-4, 8)), glyph)
        x += rng.randrange(28, 34)
    for _ in range(3):  # strike-through curves
        points = []
        phase, amp, y0 = rng.uniform(0, 6.3), rng.uniform(4, 12), rng.uniform(10, HEIGHT - 10)
        for px in range(0, WIDTH + 1, 6):
            points.append((px, y0 + amp * math.sin(phase + px / rng.uniform(14, 22))))
        draw.line(points, fill=tuple(rng.randrange(60, 160) for _ in range(3)), width=1)
    # A wave along x: each column shifted up or down.
    waved = Image.new("RGB", (WIDTH, HEIGHT), (246, 243, 236))
    period, amp = rng.uniform(25, 40), rng.uniform(2, 4)
    for px in range(WIDTH):
        shift = int(amp * math.sin(px / period * 2 * math.pi))
        waved.paste(image.crop((px, 0, px + 1, HEIGHT)), (px, shift))
    waved = waved.filter(ImageFilter.SMOOTH)
    out = io.BytesIO()
    waved.save(out, format="PNG", optimize=True)
    return out.getvalue()
