"""Small pictures drawn with Pillow for the demo site (banners, the favicon): nothing is
downloaded, and the text has its accents when the machine has a font with them."""

import io
import math
from functools import cache
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

from portal.text import strip_accents

FONT_FILES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
]


@cache
def font(size: int) -> tuple[ImageFont.ImageFont, bool]:
    """A font with Vietnamese glyphs if the machine has one; else Pillow's own (no accents)."""
    for path in FONT_FILES:
        if Path(path).exists():
            try:
                return ImageFont.truetype(path, size), True
            except OSError:
                continue
    return ImageFont.load_default(size=size), False


def label_png(
    lines: list[str], *, size=(300, 90), colour=(178, 34, 34), text=(255, 255, 255)
) -> bytes:
    """A banner-like PNG: a coloured card with a border and centred lines of text."""
    image = Image.new("RGB", size, colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([2, 2, size[0] - 3, size[1] - 3], outline=(255, 215, 0), width=3)
    face, unicode_ok = font(max(12, size[1] // (len(lines) + 2)))
    y = (size[1] - len(lines) * face.size * 1.25) / 2
    for line in lines:
        line = line if unicode_ok else strip_accents(line)
        width = draw.textlength(line, font=face)
        draw.text(((size[0] - width) / 2, y), line, font=face, fill=text)
        y += face.size * 1.25
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()


def star_png(size=64) -> bytes:
    """The portal's icon: a yellow star on red, as on the flag."""
    image = Image.new("RGB", (size, size), (218, 37, 29))
    draw = ImageDraw.Draw(image)
    c, r_out, r_in = size / 2, size * 0.42, size * 0.17
    points = []
    for i in range(10):
        r = r_out if i % 2 == 0 else r_in
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((c + r * math.cos(angle), c + r * math.sin(angle)))
    draw.polygon(points, fill=(255, 221, 0))
    out = io.BytesIO()
    image.save(out, "PNG", optimize=True)
    return out.getvalue()
