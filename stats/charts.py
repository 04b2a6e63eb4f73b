"""Server-rendered SVG charts: no JavaScript, no CDN, readable on a phone.

Each chart is a scalable <svg> (viewBox) with its title, axes and legend as text; the
dashboard puts the same numbers in a table under every chart.
"""

import math
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 280
LEFT, RIGHT, TOP, BOTTOM = 84, 12, 36, 44
COLORS = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00"]


@dataclass(frozen=True)
class Series:
    name: str
    values: list[int]


def nice_max(value: float) -> int:
    """The axis top: the smallest 1, 2, 2.5 or 5 x 10^k not below `value`."""
    if value <= 0:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * power:
            return max(1, math.ceil(step * power))
    return math.ceil(10 * power)  # pragma: no cover - the loop always returns


def intervals(top: int) -> int:
    """How many gridlines divide the axis so that each is at a whole number: 4 when they
    can, else 5, 3, 2 or 1 (an axis of 0..2 reads 0, 1, 2, not 0, 0, 1, 2, 2)."""
    return next(n for n in (4, 5, 3, 2, 1) if top % n == 0)


def _number(n: float) -> str:
    return intcomma(round(n))


def _frame(title: str, labels: list[str], series: list[Series], top: int) -> list[str]:
    plot_h = HEIGHT - TOP - BOTTOM
    parts = [
        format_html(
            '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-label="{}" '
            'xmlns="http://www.w3.org/2000/svg" font-family="sans-serif" font-size="15">'
            "<title>{}</title>",
            WIDTH,
            HEIGHT,
            title,
            title,
        )
    ]
    steps = intervals(top)
    for i in range(steps + 1):
        value = top * i / steps
        y = TOP + plot_h - plot_h * i / steps
        parts.append(
            f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="#ddd" stroke-width="1"/>'
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="#444">'
            f"{_number(value)}</text>"
        )
    x = LEFT
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        parts.append(
            f'<rect x="{x}" y="8" width="12" height="12" fill="{color}"/>'
            f'<text x="{x + 16}" y="19" fill="#222">{escape(s.name)}</text>'
        )
        x += 32 + 9 * len(s.name)
    n = len(labels)
    step = max(1, math.ceil(n / 12))
    plot_w = WIDTH - LEFT - RIGHT
    for i in range(0, n, step):
        cx = LEFT + plot_w * (i + 0.5) / n
        parts.append(
            f'<text x="{cx:.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" '
            f'fill="#444">{escape(labels[i])}</text>'
        )
    return parts


def line_chart(title: str, labels: list[str], series: list[Series]) -> SafeString:
    """Lines over many points (a value per day)."""
    top = nice_max(max((max(s.values, default=0) for s in series), default=0))
    parts = _frame(title, labels, series, top)
    n = max(len(labels), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        points = [
            (LEFT + plot_w * (j + 0.5) / n, TOP + plot_h - plot_h * v / top)
            for j, v in enumerate(s.values)
        ]
        if len(points) == 1:
            ((px, py),) = points
            parts.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{color}"/>')
        elif points:
            text = " ".join(f"{px:.1f},{py:.1f}" for px, py in points)
            parts.append(
                f'<polyline points="{text}" fill="none" stroke="{color}" stroke-width="2" '
                f'stroke-linejoin="round"/>'
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def bar_chart(title: str, labels: list[str], series: list[Series]) -> SafeString:
    """Grouped bars over a few points (hours of the day, months)."""
    top = nice_max(max((max(s.values, default=0) for s in series), default=0))
    parts = _frame(title, labels, series, top)
    n = max(len(labels), 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    group = plot_w / n
    width = group * 0.8 / max(len(series), 1)
    for i, s in enumerate(series):
        color = COLORS[i % len(COLORS)]
        for j, v in enumerate(s.values):
            h = plot_h * v / top
            x = LEFT + group * j + group * 0.1 + width * i
            parts.append(
                f'<rect x="{x:.1f}" y="{TOP + plot_h - h:.1f}" width="{width:.1f}" '
                f'height="{h:.1f}" fill="{color}"><title>{escape(labels[j])}: '
                f"{escape(s.name)} {_number(v)}</title></rect>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
