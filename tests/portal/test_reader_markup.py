"""The accessibility floor of every reader page, read from the HTML the server sends (no
browser needed, so it runs everywhere): Vietnamese language, a distinct title, the skip link
first, one <h1> and no skipped heading level, the landmarks, alt text on every image, and a
viewport that lets the reader zoom. The browser half (axe-core, keyboard, 200% text) is
tests/browser/test_accessibility.py."""

import itertools
from html.parser import HTMLParser

import pytest

from tests.reader_site import make_reader_site, rendered_error_page

pytestmark = pytest.mark.django_db

FOCUSABLE = {"a", "button", "input", "select", "textarea", "summary"}


class Outline(HTMLParser):
    """What a screen reader user meets first: language, title, landmarks, headings, images
    and the order of the focusable elements."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.lang = None
        self.title = ""
        self.viewport = None
        self.headings: list[int] = []
        self.images: list[dict] = []
        self.focusable: list[dict] = []
        self.landmarks: list[tuple[str, dict]] = []
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and attrs.get("name") == "viewport":
            self.viewport = attrs.get("content", "")
        elif len(tag) == 2 and tag[0] == "h" and tag[1] in "123456":
            self.headings.append(int(tag[1]))
        elif tag == "img":
            self.images.append(attrs)
        if tag in ("header", "nav", "main", "aside", "footer"):
            self.landmarks.append((tag, attrs))
        hidden_input = tag == "input" and attrs.get("type") == "hidden"
        if (
            (tag in FOCUSABLE and not hidden_input and (tag != "a" or "href" in attrs))
            or attrs.get("tabindex") == "0"
        ) and attrs.get("tabindex") != "-1":
            self.focusable.append({"tag": tag, **attrs})

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def outline(html: str) -> Outline:
    parser = Outline()
    parser.feed(html)
    return parser


@pytest.fixture
def pages(reader_client, settings, tmp_path) -> dict[str, tuple[int, str]]:
    """status and HTML of every reader page, the error pages included."""
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.COMMENT_CAPTCHA = False
    paths = make_reader_site()
    out = {}
    for kind, path in paths.items():
        response = reader_client.get(path)
        out[kind] = (response.status_code, response.content.decode())
    # The comment form sent empty: the page listing what to fix.
    response = reader_client.post(paths["article"] + "binh-luan/", {"body": ""})
    out["comment-errors"] = (response.status_code, response.content.decode())
    for kind in ("403", "outage", "500"):
        out[kind] = rendered_error_page(kind)
    return out


FULL_PAGES = [
    "home", "category", "subcategory", "article", "tag", "search", "search-empty", "library",
    "library-open", "document", "page", "404", "comment-errors", "403", "polls", "poll",
    "contact", "questions", "question", "schedule", "schedule-leader", "topics", "topic",
]  # fmt: skip
EVERY_PAGE = [*FULL_PAGES, "print", "schedule-print", "outage", "500"]


def test_every_reader_page_answers_as_expected(pages):
    statuses = {kind: status for kind, (status, _html) in pages.items()}
    assert statuses == {
        **{kind: 200 for kind in FULL_PAGES},
        "print": 200, "schedule-print": 200, "404": 404, "comment-errors": 400, "403": 403, "outage": 503, "500": 500,
    }  # fmt: skip


@pytest.mark.parametrize("kind", EVERY_PAGE)
def test_page_is_vietnamese_with_one_h1_and_no_skipped_heading_level(pages, kind):
    page = outline(pages[kind][1])
    assert page.lang == "vi"
    assert page.headings.count(1) == 1, page.headings
    assert page.headings[0] == 1, page.headings
    for before, after in itertools.pairwise(page.headings):
        assert after <= before + 1, f"h{before} is followed by h{after}: {page.headings}"


@pytest.mark.parametrize("kind", EVERY_PAGE)
def test_every_image_has_alt_text_and_zoom_is_allowed(pages, kind):
    page = outline(pages[kind][1])
    missing = [img.get("src") for img in page.images if "alt" not in img]
    assert not missing, f"images without alt: {missing}"
    assert page.viewport is not None
    assert "user-scalable" not in page.viewport and "maximum-scale" not in page.viewport


@pytest.mark.parametrize("kind", [*FULL_PAGES, "print", "schedule-print"])
def test_skip_link_is_the_first_focusable_element_and_targets_main(pages, kind):
    page = outline(pages[kind][1])
    first = page.focusable[0]
    assert first["tag"] == "a" and first["href"] == "#noi-dung"
    assert "Bỏ qua, đến nội dung chính</a>" in pages[kind][1]
    mains = [attrs for tag, attrs in page.landmarks if tag == "main"]
    assert len(mains) == 1 and mains[0]["id"] == "noi-dung"


@pytest.mark.parametrize("kind", FULL_PAGES)
def test_page_has_labelled_landmarks(pages, kind):
    page = outline(pages[kind][1])
    tags = [tag for tag, _attrs in page.landmarks]
    for landmark in ("header", "nav", "main", "aside", "footer"):
        assert landmark in tags, f"no <{landmark}>"
    for tag, attrs in page.landmarks:
        if tag in ("nav", "aside"):
            assert attrs.get("aria-label") or attrs.get("aria-labelledby"), f"<{tag}> {attrs}"


@pytest.mark.parametrize("kind", ["outage", "500"])
def test_failure_pages_still_have_a_main_landmark(pages, kind):
    assert "<main>" in pages[kind][1]


def test_every_page_has_its_own_title(pages):
    titles = {kind: outline(html).title.strip() for kind, (_status, html) in pages.items()}
    assert all(titles.values()), titles
    # The same page with other words or filters may share its title.
    same = ("outage", "500", "search-empty", "library-open")
    distinct = [t for k, t in titles.items() if k not in same]
    assert len(set(distinct)) == len(distinct), titles


def test_rating_buttons_name_the_score_for_a_screen_reader(pages):
    html = pages["article"][1]
    for n in range(1, 6):
        assert f'aria-label="Đánh giá {n} trên 5 sao"' in html
    # The current total is read with the stars.
    assert 'aria-describedby="rating-total"' in html and 'id="rating-total"' in html
