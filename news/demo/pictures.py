"""Illustrations for the demo content, drawn with Pillow (nothing is downloaded).

Each picture is a sky gradient, a sun and rolling hills in a palette of its own, with a
caption band, so that lists and article pages look like a real portal without real photos.
"""

import io
import random
import textwrap
from functools import cache
from pathlib import Path

from django.core.files.base import ContentFile
from PIL import Image, ImageDraw, ImageFont, ImageOps

from portal.text import strip_accents

SIZE = (1200, 750)
QUALITY = 80

# (sky top, sky bottom, hills) per mood; chosen by the caller, e.g. one per category.
PALETTES = [
    ((20, 70, 140), (150, 200, 235), (40, 110, 60)),
    ((170, 20, 30), (250, 190, 90), (120, 40, 30)),
    ((30, 90, 80), (190, 225, 200), (60, 120, 50)),
    ((60, 40, 110), (240, 170, 140), (70, 60, 90)),
    ((10, 60, 50), (170, 210, 160), (90, 100, 40)),
    ((120, 90, 20), (245, 225, 150), (140, 90, 40)),
    ((40, 50, 70), (170, 180, 200), (60, 75, 60)),
    ((150, 30, 60), (250, 210, 200), (110, 60, 80)),
]

_FONT_FILES = [
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/truetype/liberation/LiberationSans-Bold.ttf",
    "/usr/share/fonts/truetype/noto/NotoSans-Bold.ttf",
    "/usr/share/fonts/dejavu/DejaVuSans-Bold.ttf",
    "/Library/Fonts/Arial Unicode.ttf",
    "C:/Windows/Fonts/arialbd.ttf",
]


@cache
def _font(size: int) -> tuple[ImageFont.ImageFont, bool]:
    """A font with Vietnamese glyphs if the machine has one; else Pillow's own (no accents)."""
    for path in _FONT_FILES:
        if Path(path).exists():
            try:
                return ImageFont.truetype(path, size), True
            except OSError:
                continue
    return ImageFont.load_default(size=size), False


@cache
def _sky(top: tuple, bottom: tuple, size: tuple[int, int]) -> Image.Image:
    gradient = Image.linear_gradient("L").resize(size)
    return ImageOps.colorize(gradient, top, bottom)


def _shade(colour: tuple, factor: float) -> tuple:
    return tuple(max(0, min(255, round(c * factor))) for c in colour)


def picture(
    label: str, *, note: str = "Ảnh minh họa", palette: int = 0, seed: int = 0, size=SIZE
) -> ContentFile:
    """A JPEG landscape with `label` written on a band at the bottom."""
    rng = random.Random(seed)
    top, bottom, hills = PALETTES[palette % len(PALETTES)]
    width, height = size
    img = _sky(top, bottom, size).copy()
    draw = ImageDraw.Draw(img)

    sun_x, sun_y, r = rng.randint(width // 5, width * 4 // 5), rng.randint(80, height // 3), 60
    draw.ellipse((sun_x - r, sun_y - r, sun_x + r, sun_y + r), fill=(255, 236, 170))

    # Three ranges of hills, lighter far away, darker near.
    for layer, factor in enumerate((1.35, 1.0, 0.7)):
        base = height * (0.55 + 0.1 * layer)
        points = [(0, height)]
        x = 0
        while x < width:
            points.append((x, base - rng.randint(0, 90)))
            x += rng.randint(120, 260)
        points += [(width, base - rng.randint(0, 90)), (width, height)]
        draw.polygon(points, fill=_shade(hills, factor))

    # A few houses on the middle hills.
    for _ in range(rng.randint(2, 5)):
        hx = rng.randint(40, width - 140)
        hy = round(height * 0.66) + rng.randint(-15, 15)
        draw.rectangle((hx, hy, hx + 70, hy + 45), fill=(235, 225, 205))
        draw.polygon([(hx - 10, hy), (hx + 35, hy - 35), (hx + 80, hy)], fill=(165, 50, 40))

    font, unicode_ok = _font(38)
    small, _ = _font(24)
    text = label if unicode_ok else strip_accents(label)
    lines = textwrap.wrap(text, width=46)[:2]

    # Darken a band at the bottom so the label reads on any palette.
    top_of_band = height - 60 - 48 * len(lines)
    box = (0, top_of_band, width, height)
    img.paste(img.crop(box).point(lambda v: v * 45 // 100), box)
    y = top_of_band + 12
    for line in lines:
        draw.text((40, y), line, font=font, fill=(255, 255, 255))
        y += 48
    draw.text(
        (40, height - 38), note if unicode_ok else strip_accents(note), font=small,
        fill=(230, 230, 230),
    )  # fmt: skip

    out = io.BytesIO()
    img.save(out, "JPEG", quality=QUALITY)
    return ContentFile(out.getvalue())
