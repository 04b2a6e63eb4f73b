"""Light pages for a cheap phone on a slow network: images as `<picture>` with WebP, srcset,
sizes, width and height, lazy below the fold; renditions made once; static files with hashed
names and far-future caching. (The byte budget itself: tests/browser/test_page_weight.py.)"""

import os
import re
import subprocess
import sys
from html import unescape
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory, override_settings
from hypothesis import example, given
from hypothesis import strategies as st
from PIL import Image

from news import images, responsive
from news.models import Article
from portal import fragments
from portal.richtext import ALLOWED_ATTRIBUTES, ALLOWED_TAGS, URL_SCHEMES, sanitize_html
from tests.conftest import SITE_BLOCKS_AFTER_A_CHANGE, make_article, make_category
from tests.news.pictured import (
    body_with_image,
    make_pictured_article,
    photo,
    upload_body_image,
)
from tests.security.test_fuzz_richtext import FUZZ, Collector, _browser_url, documents

pytestmark = pytest.mark.django_db


def media(url: str) -> Path:
    assert url.startswith(settings.MEDIA_URL), url
    return Path(settings.MEDIA_ROOT) / url[len(settings.MEDIA_URL) :]


def tags(html: str, name: str) -> list[str]:
    return re.findall(rf"<{name}\b[^>]*>", html)


def attr(tag: str, name: str) -> str | None:
    found = re.search(rf'\s{name}="([^"]*)"', tag)
    return found.group(1) if found else None


def main_of(html: str) -> str:
    return html[html.index("<main") : html.index("</main>")]


@pytest.fixture
def pictured():
    """A featured article with a picture and a body image, and three more with pictures."""
    category = make_category("Kinh tế", order=1)
    body_image = upload_body_image()
    lead = make_pictured_article(category=category, featured=True, body=body_with_image(body_image))
    others = [
        make_pictured_article(f"Tin kinh tế số {n}", category=category, size=(900, 600))
        for n in range(3)
    ]
    return {"category": category, "lead": lead, "others": others, "body_image": body_image}


def test_article_featured_image_is_a_picture_with_webp_sizes_and_dimensions(
    reader_client, pictured
):
    html = reader_client.get(pictured["lead"].get_absolute_url()).content.decode()
    figure = html[html.index('<figure class="featured-image">') :]
    figure = figure[: figure.index("</figure>")]
    source, img = tags(figure, "source")[0], tags(figure, "img")[0]
    assert attr(source, "type") == "image/webp"
    assert re.fullmatch(r"\S+-large-720\.webp 720w, \S+-large\.webp 1200w", attr(source, "srcset"))
    assert attr(img, "src").endswith("-large.jpg")
    assert re.fullmatch(r"\S+-large-720\.jpg 720w, \S+-large\.jpg 1200w", attr(img, "srcset"))
    assert attr(img, "sizes") == attr(source, "sizes") == "(min-width: 900px) 830px, 100vw"
    # 1600x1000 scaled to the content width: the box is reserved before the image arrives.
    assert (attr(img, "width"), attr(img, "height")) == ("1200", "750")
    assert attr(img, "alt") == "Quang cảnh lễ khánh thành"
    # The first image of the page is fetched first, never lazily.
    assert attr(img, "fetchpriority") == "high" and attr(img, "loading") is None


def test_body_images_become_lazy_pictures_with_their_size(reader_client, pictured):
    html = reader_client.get(pictured["lead"].get_absolute_url()).content.decode()
    body = html[html.index('<div class="body">') :]
    body = body[: body.index("</div>")]
    source, img = tags(body, "source")[0], tags(body, "img")[0]
    stem = pictured["body_image"].image.url.rsplit(".", 1)[0]
    assert attr(source, "srcset") == f"{stem}-720.webp 720w, {stem}.webp 1000w"
    assert attr(img, "src") == f"{stem}.jpg"
    assert (attr(img, "width"), attr(img, "height")) == ("1000", "625")
    assert attr(img, "loading") == "lazy"
    assert attr(img, "alt") == "Ảnh trong bài: quang cảnh buổi lễ"
    assert "<figcaption>Ảnh trong bài: quang cảnh buổi lễ</figcaption>" in body
    # The lightbox is a static file (no inline script), loaded without blocking.
    assert re.search(r'<script src="/static/js/lightbox\.js" defer></script>', html)


def test_first_body_image_is_eager_when_there_is_no_featured_image(reader_client, pictured):
    article = make_article(
        "Bài chỉ có ảnh trong bài",
        body=body_with_image(pictured["body_image"]) + body_with_image(upload_body_image()),
    )
    html = reader_client.get(article.get_absolute_url()).content.decode()
    first, second = tags(html[html.index('<div class="body">') :], "img")[:2]
    assert attr(first, "fetchpriority") == "high" and attr(first, "loading") is None
    assert attr(second, "loading") == "lazy"


def test_other_body_images_keep_the_sanitisers_guarantees(reader_client, pictured):
    article = make_article(
        "Bài có ảnh từ nơi khác",
        body='<p><img src="https://anh.example.vn/a.jpg" alt="x&quot;><script>alert(1)</script>" '
        'onerror="alert(2)" width="640" height="400"></p>'
        '<p><img src="javascript:alert(3)" alt="bad"></p>',
    )
    html = reader_client.get(article.get_absolute_url()).content.decode()
    body = html[html.index('<div class="body">') :]
    body = body[: body.index("</div>")]
    assert "<script" not in body and "onerror" not in body and "javascript:" not in body
    img = tags(body, "img")[0]
    assert attr(img, "src") == "https://anh.example.vn/a.jpg"
    assert (attr(img, "width"), attr(img, "height")) == ("640", "400")
    assert attr(img, "fetchpriority") == "high"  # no featured image: the first one is on top
    assert "&lt;script&gt;" in attr(img, "alt")
    assert "<picture" not in body  # no WebP of someone else's image


def test_static_page_images_are_responsive_too(reader_client, pictured):
    from pages.models import Page

    Page.objects.create(title="Giới thiệu", body=body_with_image(pictured["body_image"]))
    html = main_of(reader_client.get("/trang/gioi-thieu/").content.decode())
    img = tags(html, "img")[0]
    assert attr(img, "srcset").endswith(".jpg 1000w")
    assert (attr(img, "width"), attr(img, "height")) == ("1000", "625")
    assert '<source type="image/webp"' in html


def test_pages_take_styles_scripts_and_fonts_from_this_site_only(reader_client, pictured):
    for url in ["/", pictured["lead"].get_absolute_url(), pictured["category"].get_absolute_url(),
                "/tim-kiem/?q=tin", "/van-ban/"]:  # fmt: skip
        html = reader_client.get(url).content.decode()
        for tag in tags(html, "link") + tags(html, "script"):
            target = attr(tag, "href") or attr(tag, "src") or ""
            if attr(tag, "rel") in {"canonical", "alternate"}:
                continue
            assert target.startswith("/static/") or not target, (url, tag)
        assert "@import" not in html and "fonts.googleapis" not in html


RESPONSIVE_ATTRIBUTES = {
    "img": ALLOWED_ATTRIBUTES["img"] | {"srcset", "sizes", "loading", "decoding", "fetchpriority"},
    "source": {"type", "srcset", "sizes"},
    "picture": set(),
}


@FUZZ
@given(documents, st.booleans())
@example('<p><img src="/media/anh.jpg" alt="x&quot; onerror=&quot;a()" title="<b>"></p>', True)
@example('<img src="/media/anh.jpg"><img src="/media/../anh.jpg"><img src="/media/x.webp">', False)
def test_responsive_bodies_keep_the_sanitisers_guarantees(dirty, eager_first):
    # Hostile HTML (tests/security/test_fuzz_richtext.py), sanitised as when saved, then
    # rewritten as when shown: only the picture/source wrappers and image attributes are new.
    # "/media/anh.jpg", one of the fuzzer's addresses, is a body image with its WebP copies.
    root = Path(settings.MEDIA_ROOT)
    if not (root / "anh-720.webp").exists():
        for name, size, fmt in [("anh.jpg", (900, 600), "JPEG"), ("anh.webp", (900, 600), "WEBP"),
                                ("anh-720.jpg", (720, 480), "JPEG"),
                                ("anh-720.webp", (720, 480), "WEBP")]:  # fmt: skip
            (root / name).write_bytes(photo(size, fmt))
    clean = sanitize_html(dirty)
    out = str(responsive.body_html(clean, eager_first=eager_first))
    for needle in ("<script", "<style", "<iframe", "<object", "<embed", "<svg", "<math"):
        assert needle not in out.lower(), out
    parser = Collector()
    parser.feed(out)
    for tag, attrs in parser.tags:
        assert tag in ALLOWED_TAGS or tag in RESPONSIVE_ATTRIBUTES, out
        allowed = RESPONSIVE_ATTRIBUTES.get(tag, ALLOWED_ATTRIBUTES.get(tag, set())) | {"rel"}
        for name, value in attrs:
            assert name in allowed, out
            if name == "src":
                url = _browser_url(unescape(value or ""))
                scheme = re.match(r"^([a-z][a-z0-9+.\-]*):", url)
                assert scheme is None or scheme.group(1) in URL_SCHEMES, out
            if name == "srcset":
                assert all(part.strip().startswith(settings.MEDIA_URL) for part in value.split(","))
    assert out.count("<img") <= clean.count("<img")


def test_home_lead_image_is_eager_and_list_thumbnails_are_lazy(reader_client, pictured):
    html = main_of(reader_client.get("/").content.decode())
    lead = tags(html[html.index('class="lead-item"') :], "img")[0]
    assert attr(lead, "fetchpriority") == "high" and attr(lead, "loading") is None
    assert (attr(lead, "width"), attr(lead, "height")) == ("480", "300")
    assert attr(lead, "sizes") == "(min-width: 600px) 480px, 100vw"
    items = tags(html[html.index('class="cat-section"') :], "img")
    assert len(items) == 3
    for img in items:
        assert attr(img, "loading") == "lazy"
        assert re.fullmatch(r"\S+-thumb-240\.jpg 240w, \S+-thumb\.jpg 480w", attr(img, "srcset"))
        assert (attr(img, "width"), attr(img, "height")) == ("480", "300")
    assert html.count('<source type="image/webp"') == 4


@pytest.mark.parametrize("page", ["category", "search"])
def test_list_pages_load_the_first_thumbnail_first_and_the_rest_lazily(
    reader_client, pictured, page
):
    url = pictured["category"].get_absolute_url() if page == "category" else "/tim-kiem/?q=tin"
    html = main_of(reader_client.get(url).content.decode())
    imgs = [tag for tag in tags(html, "img") if "-thumb" in (attr(tag, "src") or "")]
    assert len(imgs) >= 3
    assert attr(imgs[0], "fetchpriority") == "high"
    assert all(attr(img, "loading") == "lazy" for img in imgs[1:])
    assert all(attr(img, "sizes") == "(min-width: 600px) 200px, 120px" for img in imgs)


def test_webp_renditions_are_real_webp_and_the_original_is_kept(pictured):
    article = Article.objects.get(pk=pictured["lead"].pk)
    original = Path(article.image.path)
    with Image.open(original) as img:
        assert (img.format, img.size) == ("JPEG", (1600, 1000))
    expected = {
        images.sibling(article.image_large.name, ext=".webp"): (1200, 750),
        images.sibling(article.image_large.name, width=720, ext=".webp"): (720, 450),
        images.sibling(article.image_thumb.name, ext=".webp"): (480, 300),
        images.sibling(article.image_thumb.name, width=240, ext=".webp"): (240, 150),
    }
    for name, size in expected.items():
        with Image.open(Path(settings.MEDIA_ROOT) / name) as img:
            assert (img.format, img.size) == ("WEBP", size), name
    assert (article.image_width, article.image_height) == (1200, 750)
    assert article.image_renditions == images.RENDITIONS
    body_webp = images.sibling(pictured["body_image"].image.name, ext=".webp")
    with Image.open(Path(settings.MEDIA_ROOT) / body_webp) as img:
        assert img.format == "WEBP"


def test_pages_never_make_renditions(reader_client, pictured):
    root = Path(settings.MEDIA_ROOT)
    before = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    for _ in range(2):
        for url in [
            "/",
            pictured["lead"].get_absolute_url(),
            pictured["category"].get_absolute_url(),
        ]:
            assert reader_client.get(url).status_code == 200
    after = {p: p.stat().st_mtime_ns for p in root.rglob("*") if p.is_file()}
    assert after == before


def test_list_pages_cost_no_query_per_picture(reader_client, pictured, django_assert_num_queries):
    for n in range(6):
        make_pictured_article(
            f"Thêm tin có ảnh {n}", category=pictured["category"], size=(500, 320)
        )
    reader_client.get("/")
    fragments.bump()  # the lists rendered again, not from their fragments
    # featured; latest of the one top-level category (URLs come from the loaded fields);
    # the site-wide blocks
    with django_assert_num_queries(2 + SITE_BLOCKS_AFTER_A_CHANGE):
        html = reader_client.get("/").content.decode()
    assert html.count('<source type="image/webp"') == 6  # the lead and five in the section
    url = pictured["category"].get_absolute_url()
    reader_client.get(url)
    fragments.bump()
    # category with its subcategories' ids; count; page of articles; the site-wide blocks
    with django_assert_num_queries(3 + SITE_BLOCKS_AFTER_A_CHANGE):
        html = reader_client.get(url).content.decode()
    assert main_of(html).count('<source type="image/webp"') == 10


def test_make_renditions_adds_webp_to_older_articles_once(reader_client, pictured):
    # An article stored before WebP: its JPEG renditions only, no size, no set number.
    old = make_article("Bài cũ có ảnh", category=pictured["category"])
    old.image.save("cu.jpg", ContentFile(photo((1000, 700))), save=True)
    Article.objects.filter(pk=old.pk).update(
        image_thumb=images.rendition_name("cu.jpg", "thumb"),
        image_large=images.rendition_name("cu.jpg", "large"),
    )
    old.refresh_from_db()
    thumb = images.thumbnail(images.open_rgb(old.image))
    old.image_thumb.storage.save(old.image_thumb.name, thumb)
    large, _w, _h = images.content_width(images.open_rgb(old.image))
    old.image_large.storage.save(old.image_large.name, large)
    html = reader_client.get(old.get_absolute_url()).content.decode()
    img = tags(html[html.index('<figure class="featured-image">') :], "img")[0]
    assert attr(img, "src") == old.image_large.url and attr(img, "srcset") is None

    call_command("make_renditions", verbosity=0)
    old.refresh_from_db()
    assert old.image_renditions == images.RENDITIONS
    assert (old.image_width, old.image_height) == (1000, 700)
    webp = Path(settings.MEDIA_ROOT) / images.sibling(old.image_large.name, ext=".webp")
    with Image.open(webp) as picture:
        assert picture.format == "WEBP"
    # The JPEG the pages and caches link keeps its name.
    assert old.image_large.name == images.rendition_name("cu.jpg", "large")
    html = reader_client.get(old.get_absolute_url()).content.decode()
    assert re.search(r'<source type="image/webp" srcset="[^"]+-large-720\.webp 720w', html)

    # A second run makes nothing again.
    mtime = webp.stat().st_mtime_ns
    call_command("make_renditions", verbosity=0)
    assert webp.stat().st_mtime_ns == mtime


# Static files: hashed names and far-future caching (whitenoise's compressed manifest
# storage, as in production). The rest of the tests use the plain storage (tests/conftest.py).

MANIFEST = "whitenoise.storage.CompressedManifestStaticFilesStorage"


@pytest.fixture(scope="module")
def collected(tmp_path_factory):
    root = tmp_path_factory.mktemp("static")
    storages = {**settings.STORAGES, "staticfiles": {"BACKEND": MANIFEST}}
    with override_settings(STATIC_ROOT=root, STORAGES=storages, WHITENOISE_USE_FINDERS=False):
        call_command("collectstatic", interactive=False, verbosity=0)
    return {"STATIC_ROOT": root, "STORAGES": storages, "WHITENOISE_USE_FINDERS": False}


def test_production_storage_is_the_compressed_manifest():
    # In a fresh interpreter without STATICFILES_BACKEND, which `make test` sets for the
    # rest of the suite (portal/launcher.py): what production gets.
    env = {k: v for k, v in os.environ.items() if k != "STATICFILES_BACKEND"}
    code = "from portal import settings; print(settings.STORAGES['staticfiles']['BACKEND'])"
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == MANIFEST


def test_pages_link_static_files_by_hashed_name(reader_client, pictured, collected):
    with override_settings(**collected):
        html = reader_client.get(pictured["lead"].get_absolute_url()).content.decode()
    assert re.search(r'href="/static/css/site\.[0-9a-f]{12}\.css"', html)
    assert re.search(r'src="/static/js/lightbox\.[0-9a-f]{12}\.js"', html)
    assert 'href="/static/css/site.css"' not in html


def test_hashed_static_files_are_cached_for_a_year_and_compressed(collected):
    from whitenoise.middleware import WhiteNoiseMiddleware

    with override_settings(**collected):
        from django.contrib.staticfiles.storage import staticfiles_storage

        url = staticfiles_storage.url("css/site.css")
        middleware = WhiteNoiseMiddleware(lambda request: HttpResponse(status=404))
        response = middleware(RequestFactory().get(url, HTTP_ACCEPT_ENCODING="gzip, deflate"))
        plain = middleware(RequestFactory().get(url))
    assert response.status_code == 200
    assert "max-age=315360000" in response["Cache-Control"]
    assert "immutable" in response["Cache-Control"]
    assert response["Content-Encoding"] in {"gzip", "br"}
    assert int(response["Content-Length"]) < int(plain["Content-Length"]) / 2
    assert response["Vary"] == "Accept-Encoding"
