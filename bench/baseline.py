"""The benchmark's yardstick: a plain Django view, no database, no template.

It goes through the same middleware as every page, so `article rps / baseline rps` says how
much the article page itself costs. Served only under the bench's settings (bench/settings.py, bench/urls.py).
`?size=N` makes the page exactly N bytes, so the runner can ask for the byte size of the
article page it measured in the same run.
"""

from functools import lru_cache

from django.http import HttpResponse, HttpResponseBadRequest
from django.views.decorators.http import require_GET

MAX_SIZE = 2_000_000
_HEAD = (
    '<!DOCTYPE html>\n<html lang="vi">\n<head>\n<meta charset="utf-8">\n'
    "<title>Baseline</title>\n</head>\n<body>\n<p>"
)
_TAIL = "</p>\n</body>\n</html>\n"
_FILLER = "Lorem ipsum dolor sit amet, consectetur adipiscing elit. "


@lru_cache(maxsize=8)
def page(size: int) -> bytes:
    """An HTML page of exactly `size` bytes (a bare filler when `size` is tiny)."""
    room = size - len(_HEAD) - len(_TAIL)
    if room < 0:
        return (_FILLER * (size // len(_FILLER) + 1))[:size].encode()
    filler = (_FILLER * (room // len(_FILLER) + 1))[:room]
    return (_HEAD + filler + _TAIL).encode()


@require_GET
def baseline_page(request):
    raw = request.GET.get("size", "20000")
    if not raw.isdigit() or not 0 < int(raw) <= MAX_SIZE:
        return HttpResponseBadRequest(
            f"size phải là số nguyên từ 1 đến {MAX_SIZE}.", content_type="text/plain; charset=utf-8"
        )
    return HttpResponse(page(int(raw)), content_type="text/html; charset=utf-8")
