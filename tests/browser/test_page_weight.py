"""What a reader's phone downloads on a first visit to each kind of page, and that nothing
comes from another host (no CDN, no web fonts from elsewhere).

Measured from the browser's own network events: every response of the page load, its body
read back, split into text (HTML, CSS, JS, fonts and anything else) and images. The budget
is for the text part, as a reader gets it in production:

- HTML is compressed by the reverse proxy (docs/deployment.md: nginx `gzip on`,
  `gzip_comp_level 5`): counted here as gzip level 5 of the body;
- CSS and JS are served by whitenoise from the files collectstatic compressed (gzip level 9,
  kept only when it saves more than 5%): counted as exactly that.

The test server (live_server) sends everything uncompressed, so the compressed size is
computed from the bytes received rather than read from the wire; the uncompressed figures
are printed too. Media (/media/) is served by the reverse proxy in production; here the
browser's requests for it are answered from MEDIA_ROOT by the test (page.route).

Run: .venv/bin/python -m pytest tests/browser/test_page_weight.py -s -p no:randomly
"""

import gzip
import mimetypes
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from django.conf import settings

from tests.conftest import make_category
from tests.documents.conftest import make_document
from tests.documents.conftest import terms as terms  # noqa: F401 - the fixture
from tests.news.pictured import body_with_image, make_pictured_article, upload_body_image

pytestmark = pytest.mark.django_db(transaction=True)

BUDGET = 150 * 1024  # HTML, CSS, JS and fonts of one page, compressed as served
KINDS_TEXT = {"document", "stylesheet", "script", "font"}


@pytest.fixture(autouse=True)
def documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@dataclass
class Weight:
    text: int = 0  # compressed as served
    text_raw: int = 0
    images: int = 0
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    by_kind: dict[str, int] = field(default_factory=dict)

    def line(self, name: str) -> str:
        kinds = ", ".join(f"{k} {v / 1024:.1f}" for k, v in sorted(self.by_kind.items()))
        return (
            f"{name:<16} text {self.text / 1024:6.1f} KB compressed "
            f"({self.text_raw / 1024:6.1f} KB raw: {kinds}); images {self.images / 1024:6.1f} KB; "
            f"{len(self.requests)} requests"
        )


def served_size(kind: str, body: bytes) -> int:
    if kind == "document":
        return len(gzip.compress(body, compresslevel=5))
    if kind in {"stylesheet", "script"}:
        # whitenoise.compress: gzip -9, kept only when at least 5% smaller.
        compressed = len(gzip.compress(body, compresslevel=9, mtime=0))
        return compressed if compressed < len(body) * 0.95 else len(body)
    return len(body)  # fonts (already compressed formats), images


def weigh(browser, live_server, path: str) -> Weight:
    """A first visit (a new browser context: empty cache) on a 360px phone."""
    context = browser.new_context(
        viewport={"width": 360, "height": 740}, device_scale_factor=2, locale="vi-VN"
    )
    page = context.new_page()
    own = urlsplit(live_server.url).netloc
    weight = Weight()

    def route(route):
        url = urlsplit(route.request.url)
        if url.scheme in {"data", "blob"}:
            route.continue_()
        elif url.netloc != own:
            weight.foreign.append(route.request.url)
            route.abort()
        elif url.path.startswith(settings.MEDIA_URL):
            # The reverse proxy's job in production (the test server does not serve media).
            file = Path(settings.MEDIA_ROOT) / unquote(url.path[len(settings.MEDIA_URL) :])
            if file.is_file():
                content_type = mimetypes.guess_type(file.name)[0] or "application/octet-stream"
                route.fulfill(path=file, content_type=content_type)
            else:
                route.fulfill(status=404, body="")
        else:
            route.continue_()

    page.route("**/*", route)
    finished = []
    page.on("requestfinished", lambda request: finished.append(request))
    response = page.goto(live_server.url + path, wait_until="load")
    assert response.status == 200, path
    page.wait_for_load_state("networkidle")
    for request in finished:
        body = request.response().body() if request.response() else b""
        kind = request.resource_type
        weight.requests.append(f"{kind} {request.url} {len(body)}")
        if kind == "image":
            weight.images += len(body)
            continue
        served = served_size(kind, body)
        weight.text += served
        weight.text_raw += len(body)
        label = kind if kind in KINDS_TEXT else "other"
        weight.by_kind[label] = weight.by_kind.get(label, 0) + served
    context.close()
    return weight


@pytest.fixture
def reader_pages(terms):
    """A home page as full as the demo's: three sections of pictured articles, an article
    with a featured image and two body images, documents."""
    news = make_category("Tin tức - Sự kiện", order=1)
    local = make_category("Tin trong tỉnh", parent=news, order=1)
    party = make_category("Xây dựng Đảng", order=2)
    culture = make_category("Văn hóa - Xã hội", order=3)
    body = body_with_image(upload_body_image()) + "<p>" + "Nội dung bài viết dài. " * 150 + "</p>"
    body += body_with_image(upload_body_image("anh-2.jpg"), "Đại biểu tham quan công trình")
    article = make_pictured_article(
        "Khánh thành cầu mới bắc qua sông Bé nối hai huyện", category=local, featured=True,
        body=body,
    )  # fmt: skip
    for n, category in enumerate([local, party, culture] * 4):
        make_pictured_article(
            f"Tin số {n + 1}: hội nghị triển khai nhiệm vụ tuyên giáo năm 2025",
            category=category, featured=n < 4, size=(1200, 800),
        )  # fmt: skip
    document = make_document(terms)
    make_document(terms, "Kế hoạch tổ chức Hội thi", code="130-KH/BTGTU", doc_type="kh",
                  issued_on=date(2024, 6, 12))  # fmt: skip
    return {
        "article": article.get_absolute_url(),
        "home": "/",
        "category": news.get_absolute_url(),
        "search": "/tim-kiem/?q=tuyen+giao",
        "document library": "/van-ban/",
        "document": document.get_absolute_url(),
    }


def test_every_reader_page_is_light_and_comes_from_the_site_alone(
    browser, live_server, reader_pages
):
    weights = {name: weigh(browser, live_server, path) for name, path in reader_pages.items()}
    print("\nFirst visit on a 360px phone (2x), bodies as served (docs/reader-pages.md):")
    for name, weight in weights.items():
        print(weight.line(name))
    for name, weight in weights.items():
        assert weight.foreign == [], f"{name}: requests to another host: {weight.foreign}"
        assert weight.text <= BUDGET, f"{name}: {weight.text} bytes of text\n" + "\n".join(
            weight.requests
        )
    # Images arrive as WebP, at the phone's width (720 px for 360 CSS px at 2x).
    article = weights["article"]
    images = [r.split()[1] for r in article.requests if r.startswith("image ")]
    assert any(url.endswith("-large-720.webp") for url in images), images
    assert not any(url.endswith(".jpg") for url in images), images
