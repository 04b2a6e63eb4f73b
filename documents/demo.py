"""Small real PDF files made by the project itself (demo content, tests, benchmark).

A page is drawn with Pillow in black and white and saved as a one-page PDF (CCITT-compressed,
about 30 KB). Vietnamese needs a font with its letters: a common system font is used when
one is found; otherwise Pillow's own font, with the accents removed so the text stays legible.
"""

import io
import os
import random
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont

from portal.text import strip_accents

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/dejavu/DejaVuSerif.ttf",
    "/usr/share/fonts/TTF/DejaVuSerif.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSerif-Regular.ttf",
    "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf",
    "/usr/share/fonts/truetype/noto/NotoSerif-Regular.ttf",
    "/Library/Fonts/Times New Roman.ttf",
    "/System/Library/Fonts/Supplemental/Times New Roman.ttf",
    "C:/Windows/Fonts/times.ttf",
]
PAGE = (827, 1169)  # A4 at 100 dpi
MARGIN = 80


@lru_cache(maxsize=8)
def _font(size: int):
    for path in FONT_CANDIDATES:
        if os.path.exists(path):
            try:
                return ImageFont.truetype(path, size), True
            except OSError:
                continue
    return ImageFont.load_default(size), False


def make_pdf(*, header: list[str], title: str, body: list[str], footer: list[str]) -> bytes:
    """One A4 page laid out like an administrative document; returns the PDF bytes."""
    image = Image.new("1", PAGE, 1)
    draw = ImageDraw.Draw(image)
    small, vietnamese = _font(17)
    big, _ = _font(22)

    def text(value: str) -> str:
        return value if vietnamese else strip_accents(value)

    y = MARGIN
    for line in header:
        draw.text((MARGIN, y), text(line), font=small, fill=0)
        y += 26
    y += 30
    for line in textwrap.wrap(text(title.upper()), 52):
        width = draw.textlength(line, font=big)
        draw.text(((PAGE[0] - width) / 2, y), line, font=big, fill=0)
        y += 32
    y += 24
    for paragraph in body:
        for line in textwrap.wrap(text(paragraph), 74) or [""]:
            if y > PAGE[1] - MARGIN - 120:
                break
            draw.text((MARGIN, y), line, font=small, fill=0)
            y += 25
        y += 10
    y = max(y + 20, PAGE[1] - MARGIN - 100)
    for line in footer:
        width = draw.textlength(text(line), font=small)
        draw.text((PAGE[0] - MARGIN - width, y), text(line), font=small, fill=0)
        y += 26
    out = io.BytesIO()
    image.save(out, "PDF", resolution=100, title=strip_accents(title)[:120])
    return out.getvalue()


def padded_pdf(size: int, seed: int = 1) -> bytes:
    """A valid PDF of `size` bytes (at least ~600): one page of text, and a stream of
    pseudo-random bytes that nothing refers to, so the file is big but opens normally.
    Written by hand (with a correct cross-reference table) for download benchmarks."""
    content = b"BT /F1 24 Tf 72 770 Td (Tep thu tai ve - Ban Tuyen giao Tinh uy) Tj ET"
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content),
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]

    def build(padding: bytes) -> bytes:
        objs = [*objects, b"<< /Length %d >>\nstream\n%s\nendstream" % (len(padding), padding)]
        out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
        offsets = []
        for number, body in enumerate(objs, start=1):
            offsets.append(len(out))
            out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
        xref = len(out)
        out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
        for offset in offsets:
            out += b"%010d 00000 n \n" % offset
        out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
            len(objs) + 1,
            xref,
        )
        return bytes(out)

    overhead = len(build(b""))
    n = max(0, size - overhead)
    # The length digits of the padding stream change the total: adjust once.
    n -= len(build(b"x" * n)) - size if n else 0
    rng = random.Random(seed)
    return build(rng.randbytes(max(0, n)))
