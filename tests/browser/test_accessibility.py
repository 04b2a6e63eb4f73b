"""Every reader page passes axe-core's WCAG 2.1 A and AA rules with no serious or critical
violation (and axe's heading and landmark rules with none at all), on a 360 px phone and on
a desktop; a reader using only the keyboard gets past the header with the skip link, reaches
the submenus, rates an article, filters the library and downloads a file; text zoomed to
200% on a phone does not push the article sideways.

axe-core comes from the npm registry: the first run installs it under var/node (`npm
install --no-save`), later runs use that copy, so the suite works offline once it is there.
Where npm is missing the axe tests skip with the reason, or fail when REQUIRE_BROWSER is set
(as .ci/run does)."""

import os
import shutil
import subprocess

import pytest
from django.conf import settings

from comments.models import RatingTotal
from news.models import Article
from tests.reader_site import ARTICLE_TITLE, make_reader_site, rendered_error_page

pytestmark = pytest.mark.django_db(transaction=True)

AXE_SPEC = "axe-core@4.10"
AXE_PREFIX = settings.BASE_DIR / "var" / "node"
AXE_JS = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"
# Served by page.route under the site's own origin: the Content-Security-Policy allows
# scripts from 'self' only, so an inline <script> with axe's source would be refused.
AXE_URL_PATH = "/__axe__/axe.min.js"
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
# Structure rules outside the WCAG tags (axe's "best-practice"), held at every impact: one
# h1, no skipped heading level, one main, all content inside a landmark.
STRUCTURE_OPTIONS = {
    "runOnly": {
        "type": "rule",
        "values": ["page-has-heading-one", "heading-order", "landmark-one-main", "region"],
    },
    "resultTypes": ["violations"],
}


def _unavailable(reason: str):
    if os.environ.get("REQUIRE_BROWSER"):
        pytest.fail(f"{reason} (REQUIRE_BROWSER is set, so this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def axe_source() -> str:
    """axe-core's script, installed once from the npm registry into var/node."""
    if not AXE_JS.exists():
        npm = shutil.which("npm")
        if not npm:
            _unavailable(
                "npm is not installed, so axe-core cannot be fetched (.ci/run installs it)"
            )
        command = [
            npm, "install", "--no-save", "--no-audit", "--no-fund", "--prefer-offline",
            "--prefix", str(AXE_PREFIX), AXE_SPEC,
        ]  # fmt: skip
        try:
            subprocess.run(command, check=True, capture_output=True, text=True, timeout=300)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired) as exc:
            tail = (getattr(exc, "stderr", "") or "")[-600:]
            _unavailable(f"could not install {AXE_SPEC} with npm: {exc}\n{tail}")
    return AXE_JS.read_text(encoding="utf-8")


def run_axe(page, axe_source: str) -> list[dict]:
    """axe's serious and critical WCAG 2.1 A/AA violations on the page as it is now, and
    any violation of the structure rules."""
    origin = page.url.split("/", 3)[:3]
    url = "/".join(origin) + AXE_URL_PATH
    page.route(
        url,
        lambda route: route.fulfill(
            body=axe_source, content_type="application/javascript; charset=utf-8"
        ),
    )
    page.add_script_tag(url=url)
    run = "options => axe.run(document, options)"
    violations = page.evaluate(run, AXE_OPTIONS)["violations"]
    structure = page.evaluate(run, STRUCTURE_OPTIONS)["violations"]
    return [v for v in violations if v["impact"] in BLOCKING] + structure


def describe(violations: list[dict]) -> str:
    """Each violation's rule, impact and the selectors of the offending elements."""
    lines = []
    for v in violations:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"][:10]:
            target = " ".join(str(t) for t in node["target"])
            fix = "; ".join(line.strip() for line in node.get("failureSummary", "").splitlines())
            lines.append(f"    {target} -- {fix}")
        if len(v["nodes"]) > 10:
            lines.append(f"    ... and {len(v['nodes']) - 10} more")
    return "\n".join(lines)


READER_PAGES = [
    "home", "category", "subcategory", "article", "print", "tag", "search", "search-empty",
    "library", "library-open", "document", "page", "404", "comment-errors", "403", "outage",
    "500", "polls", "poll", "contact", "questions", "question", "schedule", "schedule-leader",
    "schedule-print", "topics", "topic",
]  # fmt: skip


def open_reader_page(page, live_server, kind: str, paths: dict[str, str]) -> None:
    if kind in ("403", "outage", "500"):
        status, html = rendered_error_page(kind)
        url = f"{live_server.url}/__loi__/{kind}/"
        page.route(
            url,
            lambda route: route.fulfill(
                status=status, body=html, content_type="text/html; charset=utf-8"
            ),
        )
        page.goto(url)
    elif kind == "comment-errors":
        # The comment form sent empty (without the browser's own checks): the page that
        # lists what to fix.
        page.goto(live_server.url + paths["article"])
        page.evaluate("document.querySelector('.comment-form').noValidate = true")
        page.get_by_role("button", name="Gửi ý kiến").click()
        page.wait_for_selector(".comment-retry")
    else:
        page.goto(live_server.url + paths[kind])


@pytest.fixture(autouse=True)
def _documents_root(settings, tmp_path):
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    settings.COMMENT_CAPTCHA = False


@pytest.mark.parametrize("kind", READER_PAGES)
def test_reader_page_has_no_serious_axe_violation(live_server, phone, desktop, axe_source, kind):
    paths = make_reader_site()
    found = []
    for size, page in (("phone 360px", phone), ("desktop", desktop)):
        open_reader_page(page, live_server, kind, paths)
        violations = run_axe(page, axe_source)
        if violations:
            found.append(f"{kind} at {size} ({page.url}):\n{describe(violations)}")
    assert not found, "axe-core found accessibility violations:\n" + "\n".join(found)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_keyboard_reader_skips_to_content_and_reaches_the_submenu(live_server, request, size):
    page = request.getfixturevalue(size)
    paths = make_reader_site()
    page.goto(live_server.url + paths["home"])

    page.keyboard.press("Tab")
    skip = page.evaluate("[document.activeElement.textContent, document.activeElement.hash]")
    assert skip == ["Bỏ qua, đến nội dung chính", "#noi-dung"]
    box = page.locator(":focus").bounding_box()
    assert box["x"] >= 0 and box["y"] >= 0  # on screen once focused (off it before)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "noi-dung"
    assert page.evaluate("document.activeElement.tagName") == "MAIN"

    # From the top again, Tab walks the header and the menu down to a subcategory, which
    # is on screen when it has the focus. On a phone the menu is a closed toggle: the first
    # screen shows the news; Enter on "Chuyên mục" opens it.
    page.goto(live_server.url + paths["home"])
    if size == "phone":
        assert not page.locator(".menu a", has_text="Tin trong tỉnh").first.is_visible()
        assert page.locator("main").bounding_box()["y"] < 300  # the news starts on screen
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent") == "Chuyên mục":
            page.keyboard.press("Enter")
        if page.evaluate("document.activeElement.textContent") == "Tin trong tỉnh":
            break
    else:
        pytest.fail("Tab never reached the submenu link “Tin trong tỉnh”")
    focused = page.locator(":focus")
    assert focused.is_visible()
    assert focused.get_attribute("href") == paths["subcategory"]
    outline = focused.evaluate("e => getComputedStyle(e).outlineStyle")
    assert outline != "none"  # the focus can be seen
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{paths['subcategory']}")
    assert page.locator("h1").inner_text() == "Tin trong tỉnh"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_keyboard_reader_rates_the_article(live_server, request, size):
    page = request.getfixturevalue(size)
    paths = make_reader_site()
    page.goto(live_server.url + paths["article"])
    four = page.get_by_role("button", name="Đánh giá 4 trên 5 sao")
    four.focus()
    assert page.evaluate("document.activeElement.getAttribute('aria-label')") == (
        "Đánh giá 4 trên 5 sao"
    )
    page.keyboard.press("Enter")
    status = page.locator("[data-rating-status]")
    status.get_by_text("Cảm ơn bạn đã đánh giá 4 sao").wait_for()
    # The new total is in the line and in the announcement a screen reader reads out.
    assert "4 trong 1 đánh giá" in page.locator("[data-rating-line]").inner_text()
    assert "4 trong 1 đánh giá" in status.inner_text()
    article = Article.objects.get(title=ARTICLE_TITLE)
    assert RatingTotal.objects.get(article=article).points == 4


def test_article_text_at_200_percent_does_not_scroll_sideways_on_a_phone(live_server, phone):
    paths = make_reader_site()
    phone.goto(live_server.url + paths["article"])
    phone.evaluate("document.documentElement.style.fontSize = '200%'")
    sizes = phone.evaluate(
        """() => {
          const main = document.querySelector('main');
          const root = document.scrollingElement;
          return {main: [main.scrollWidth, main.clientWidth],
                  page: [root.scrollWidth, root.clientWidth]};
        }"""
    )
    main_scroll, main_width = sizes["main"]
    page_scroll, page_width = sizes["page"]
    assert main_scroll <= main_width + 2, sizes
    assert page_scroll <= page_width + 2, sizes


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_keyboard_reader_filters_the_library_and_reaches_the_download(live_server, request, size):
    page = request.getfixturevalue(size)
    paths = make_reader_site()
    page.goto(live_server.url + "/van-ban/")
    page.locator("#id_q").focus()
    page.keyboard.type("tran phu")
    page.keyboard.press("Enter")
    page.wait_for_url("**/van-ban/?*q=tran+phu*")
    assert "Tìm thấy 1 văn bản" in page.locator(".result-count").inner_text()

    def tab_to(name: str):
        for _ in range(60):
            page.keyboard.press("Tab")
            if name in page.evaluate("document.activeElement.textContent"):
                return
        pytest.fail(f"Tab never reached “{name}”")

    tab_to("112-HD/BTGTU")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{paths['document']}")
    tab_to("Tải về")
    assert page.evaluate("document.activeElement.hasAttribute('download')")
    with page.expect_download() as info:
        page.keyboard.press("Enter")
    assert info.value.suggested_filename.endswith(".pdf")
