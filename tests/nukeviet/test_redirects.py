"""Old NukeViet links: every public URL of an imported object answers 301 to its new page,
for one indexed query; anything else is the portal's usual 404."""

from datetime import timedelta

import pytest
from django.utils import timezone

from documents.models import Document
from news.models import Article, Tag
from nukeviet.models import LegacyLink
from tests.conftest import make_article, make_category
from tests.documents.conftest import make_document, terms  # noqa: F401 (fixture)

pytestmark = pytest.mark.django_db

NOT_FOUND = "Không tìm thấy trang"


@pytest.fixture
def old_site(terms):  # noqa: F811
    """A NukeViet category 7 `tin-tuc`, article 123, tag 9 and laws document 45, imported."""
    category = make_category("Tin tức - Sự kiện")
    article = make_article(category=category)
    tag = Tag.objects.create(name="Bình Phước", slug="binh-phuoc")
    document = make_document(terms, with_file=False)
    Kind = LegacyLink.Kind
    LegacyLink.objects.create(kind=Kind.CATEGORY, nv_id=7, alias="tin-tuc", category=category)
    LegacyLink.objects.create(
        kind=Kind.ARTICLE, nv_id=123, alias="hoi-nghi-tong-ket", article=article
    )
    LegacyLink.objects.create(kind=Kind.TAG, nv_id=9, alias="binh-phuoc", tag=tag)
    # NukeViet's tags keep their Vietnamese letters when the `tags_alias` option is off.
    LegacyLink.objects.create(kind=Kind.TAG, nv_id=10, alias="bình-phước", tag=tag)
    LegacyLink.objects.create(
        kind=Kind.DOCUMENT, nv_id=45, alias="huong-dan-tuyen-truyen-45", document=document
    )
    return {"category": category, "article": article, "tag": tag, "document": document}


def assert_redirect(client, url, location, django_assert_num_queries, queries=1):
    # 1 query: the LegacyLink row joined to its article/category/tag/document.
    # 0 queries for the module roots and the site feed, which need no lookup.
    with django_assert_num_queries(queries, info=url):
        response = client.get(url)
    assert response.status_code == 301, url
    assert response["Location"] == location, url


ARTICLE_URLS = [
    # news as the site's home module (rewrite_op_mod): no module in the path
    "/tin-tuc/hoi-nghi-tong-ket-123.html",
    "/news/tin-tuc/hoi-nghi-tong-ket-123.html",
    "/vi/news/tin-tuc/hoi-nghi-tong-ket-123.html",
    "/vi/tin-tuc/hoi-nghi-tong-ket-123.html",
    # the server could not rewrite: index.php stays in the path
    "/index.php/vi/news/tin-tuc/hoi-nghi-tong-ket-123.html",
    "/index.php/news/tin-tuc/hoi-nghi-tong-ket-123.html",
    # the id decides: a renamed article, a renamed or moved category
    "/news/tin-tuc/ten-cu-cua-bai-123.html",
    "/news/chuyen-muc-cu/hoi-nghi-tong-ket-123.html",
    # not rewritten, parameters in any order, HTML-escaped `&amp;` copied from a page
    "/index.php?language=vi&nv=news&op=tin-tuc/hoi-nghi-tong-ket-123.html",
    "/index.php?nv=news&op=tin-tuc/hoi-nghi-tong-ket-123",
    "/index.php?op=tin-tuc/hoi-nghi-tong-ket-123.html&language=vi&nv=news",
    "/index.php?language=vi&amp;nv=news&amp;op=tin-tuc/hoi-nghi-tong-ket-123.html",
    "/index.php?language=vi&nv=news/tin-tuc/hoi-nghi-tong-ket-123.html",
]


@pytest.mark.parametrize("url", ARTICLE_URLS)
def test_old_article_urls_redirect_to_the_article(client, old_site, url, django_assert_num_queries):
    assert_redirect(client, url, old_site["article"].get_absolute_url(), django_assert_num_queries)


@pytest.mark.parametrize(
    ("url", "page"),
    [
        ("/news/tin-tuc/", None),
        ("/news/tin-tuc", None),
        ("/vi/news/tin-tuc/", None),
        ("/tin-tuc/", None),
        # NukeViet's pages are not the portal's (another page size): the first page, which
        # always exists, rather than a page number past the portal's last page.
        ("/news/tin-tuc/page-2", None),
        ("/news/tin-tuc/page-2/", None),
        ("/tin-tuc/page-3/", None),
        ("/news/tin-tuc/page-1/", None),
        ("/index.php?language=vi&nv=news&op=tin-tuc", None),
        ("/index.php?language=vi&nv=news&op=tin-tuc/page-40", None),
    ],
)
def test_old_category_urls_redirect_to_the_category_page(
    client, old_site, url, page, django_assert_num_queries
):
    location = old_site["category"].get_absolute_url() + (f"?page={page}" if page else "")
    assert_redirect(client, url, location, django_assert_num_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/news/tag/binh-phuoc",
        "/vi/news/tag/binh-phuoc",
        "/news/tag/b%C3%ACnh-ph%C6%B0%E1%BB%9Bc",
        "/index.php?language=vi&nv=news&op=tag/binh-phuoc",
        # news as the home module: NukeViet prints tag links without module and slash
        "/tag/binh-phuoc",
        "/tag/binh-phuoc/",
        "/tag/b%C3%ACnh-ph%C6%B0%E1%BB%9Bc",
        "/tag/binh-phuoc/page-2",
        "/vi/tag/binh-phuoc",
    ],
)
def test_old_tag_urls_redirect_to_the_tag_page(client, old_site, url, django_assert_num_queries):
    assert_redirect(client, url, old_site["tag"].get_absolute_url(), django_assert_num_queries)


@pytest.mark.parametrize(
    "url",
    [
        "/laws/detail/huong-dan-tuyen-truyen-45/",
        "/laws/detail/huong-dan-tuyen-truyen-45",
        "/vi/laws/detail/huong-dan-tuyen-truyen-45/",
        # the id at the end of the alias decides, as in module-laws' funcs/detail.php
        "/laws/detail/ten-cu-45/",
        "/index.php?language=vi&nv=laws&op=detail/huong-dan-tuyen-truyen-45",
        # a download link of the old page leads to the document's page
        "/index.php?language=vi&nv=laws&op=detail/huong-dan-tuyen-truyen-45&download=1&id=0",
    ],
)
def test_old_laws_detail_urls_redirect_to_the_document(
    client, old_site, url, django_assert_num_queries
):
    assert_redirect(client, url, old_site["document"].get_absolute_url(), django_assert_num_queries)


def test_laws_alias_without_an_id_is_looked_up_as_it_is(
    client, old_site, django_assert_num_queries
):
    LegacyLink.objects.filter(nv_id=45).update(alias="huong-dan-tuyen-truyen")
    assert_redirect(
        client,
        "/laws/detail/huong-dan-tuyen-truyen/",
        old_site["document"].get_absolute_url(),
        django_assert_num_queries,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/news/rss/tin-tuc/",
        "/vi/news/rss/tin-tuc/",
        "/rss/tin-tuc/",
        "/index.php?language=vi&nv=news&op=rss/tin-tuc",
    ],
)
def test_old_category_feeds_redirect_to_the_category_feed(
    client, old_site, url, django_assert_num_queries
):
    location = f"/chuyen-muc/{old_site['category'].slug}/rss/"
    assert_redirect(client, url, location, django_assert_num_queries)


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/news/rss/", "/rss/"),
        ("/index.php?language=vi&nv=news&op=rss", "/rss/"),
        ("/news/", "/"),
        ("/news", "/"),
        ("/vi/", "/"),
        ("/vi/news/", "/"),
        ("/news/page-3/", "/"),
        ("/index.php", "/"),
        ("/index.php?language=vi", "/"),
        ("/index.php?language=vi&nv=news", "/"),
        ("/laws/", "/van-ban/"),
        ("/vi/laws/", "/van-ban/"),
        ("/index.php?language=vi&nv=laws", "/van-ban/"),
    ],
)
def test_module_roots_and_the_site_feed_redirect_without_a_query(
    client, url, location, django_assert_num_queries
):
    assert_redirect(client, url, location, django_assert_num_queries, queries=0)


def test_other_query_parameters_go_along(client, old_site, django_assert_num_queries):
    assert_redirect(
        client,
        "/news/tin-tuc/hoi-nghi-tong-ket-123.html?utm_source=zalo&fbclid=abc",
        old_site["article"].get_absolute_url() + "?utm_source=zalo&fbclid=abc",
        django_assert_num_queries,
    )
    assert_redirect(
        client,
        "/index.php?language=vi&nv=news&op=tin-tuc/page-2&utm_source=zalo",
        old_site["category"].get_absolute_url() + "?utm_source=zalo",
        django_assert_num_queries,
    )


@pytest.mark.parametrize(
    "url",
    [
        "/news/tin-tuc/bai-khong-co-999.html",  # an id never imported
        "/khong-co/hoi-nghi-999.html",
        "/news/khong-co/",  # an alias never imported
        "/khong-co/",
        "/khong-co/page-2/",
        "/news/tag/khong-co",
        "/news/rss/khong-co/",
        "/laws/detail/khong-co-999/",
        "/laws/detail/khong-co/",
        "/news/search/",  # a NukeViet page the portal has no counterpart of
        "/news/tin-tuc/hoi-nghi-tong-ket/",
        "/laws/tin-tuc/",
        "/en/news/tin-tuc/hoi-nghi-tong-ket-123.html",  # another language
        "/index.php?language=en&nv=news&op=tin-tuc/hoi-nghi-tong-ket-123.html",
        "/index.php?nv=users&op=login",  # another module
        "/index.php?nv=news&op=tin-tuc/hoi-nghi-tong-ket-0.html",
    ],
)
def test_unknown_old_urls_are_the_usual_404(client, old_site, url):
    response = client.get(url)
    assert response.status_code == 404, url
    assert NOT_FOUND in response.content.decode()


def test_unknown_id_costs_one_query_before_the_404_page(
    client, old_site, django_assert_num_queries
):
    url = "/news/tin-tuc/bai-khong-co-999.html"
    client.get(url)  # warm the site-wide blocks of the 404 page
    with django_assert_num_queries(1, info=url):  # the LegacyLink lookup, nothing found
        assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("status", "publish_at"),
    [
        (Article.Status.DRAFT, None),
        (Article.Status.PUBLISHED, timezone.now() + timedelta(days=3)),  # scheduled
    ],
)
def test_link_to_an_article_not_public_is_404_and_gives_nothing_away(
    client, old_site, status, publish_at
):
    """404 rather than a redirect to a 404: the Location would show the new slug, which
    is made from the title of an article nobody may read yet."""
    article = old_site["article"]
    Article.objects.filter(pk=article.pk).update(
        status=status, publish_at=publish_at or article.publish_at
    )
    response = client.get("/news/tin-tuc/hoi-nghi-tong-ket-123.html")
    assert response.status_code == 404
    assert "Location" not in response
    html = response.content.decode()
    assert NOT_FOUND in html
    assert article.slug not in html


def test_link_to_a_draft_document_is_404(client, old_site):
    Document.objects.filter(pk=old_site["document"].pk).update(status=Document.Status.DRAFT)
    response = client.get("/laws/detail/huong-dan-tuyen-truyen-45/")
    assert response.status_code == 404
    assert old_site["document"].slug not in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/news/tin-tuc/bai-99999999999999999999999.html",  # beyond bigint
        "/news/tin-tuc/bai-9223372036854775808.html",  # bigint max + 1
        "/index.php?nv=news&op=tin-tuc/bai-99999999999999999999999.html",
        "/laws/detail/van-ban-99999999999999999999999/",
        "/news/tin%00tuc/",  # NUL, which PostgreSQL refuses in a string
        "/news/tag/%00",
        "/index.php?nv=news&op=tag/%00",
        "/index.php?nv=%00&op=tin-tuc",
        "/index.php?language=%00",
        "/news/../../etc/passwd",
        "/news/tin-tuc/..%2F..%2Fetc%2Fpasswd",
        "/laws/detail/..%2F..",
        "/index.php?nv=news&op=../../etc/passwd",
        "/news/t%C3%ACn-t%E1%BB%A9c/",  # Vietnamese letters in an unknown alias
        "/%E2%80%AE/",  # a right-to-left override
        "/news/%FF%FE/",  # not UTF-8
        "/news/" + "a" * 300 + "/",  # longer than any alias
        "/index.php?nv=news&op=tag/" + "x" * 5000,
        "/index.php?nv=news&utm_source=" + "x" * 3000,  # longer than any NukeViet link
    ],
)
def test_hostile_old_urls_are_404_not_500(client, old_site, url):
    response = client.get(url)
    assert response.status_code == 404, url[:200]


def test_a_post_to_an_old_url_is_refused(client, old_site):
    assert client.post("/news/tin-tuc/hoi-nghi-tong-ket-123.html").status_code == 405


def test_unknown_word_without_slash_is_still_a_plain_404(client, db):
    """The home-module category pattern would match `/word/`; an unknown `/word` must not
    be sent there by APPEND_SLASH first, while real portal URLs still get their slash."""
    response = client.get("/khong-co")
    assert response.status_code == 404
    response = client.get("/tim-kiem")
    assert response.status_code == 301
    assert response["Location"] == "/tim-kiem/"


def test_portal_pages_pay_nothing_for_old_links(client, old_site, django_assert_num_queries):
    # The old-link patterns come after every portal pattern, so a portal page never reaches
    # them: its queries are its own (the same lists as in tests/news/test_pages.py).
    for url, expected in [
        # none: the lists are fragments of the content generation
        ("/", 0),
        # the category with its subcategories' ids (the count and the page's list are cached)
        (old_site["category"].get_absolute_url(), 1),
    ]:
        assert client.get(url).status_code == 200  # warm the shared blocks
        with django_assert_num_queries(expected, info=url):
            assert client.get(url).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/print/tin-tuc/hoi-nghi-tong-ket-123.html",
        "/news/print/tin-tuc/hoi-nghi-tong-ket-123.html",
        "/vi/news/print/tin-tuc/hoi-nghi-tong-ket-123.html",
        "/index.php?language=vi&nv=news&op=print/tin-tuc/hoi-nghi-tong-ket-123.html",
    ],
)
def test_old_print_links_redirect_to_the_articles_print_view(
    client, old_site, url, django_assert_num_queries
):
    location = f"/bai-viet/{old_site['article'].slug}/in/"
    assert_redirect(client, url, location, django_assert_num_queries)
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    "url",
    [
        "/savefile/tin-tuc/hoi-nghi-tong-ket-123.html",
        "/news/savefile/tin-tuc/hoi-nghi-tong-ket-123.html",
        "/index.php?language=vi&nv=news&op=savefile/tin-tuc/hoi-nghi-tong-ket-123.html",
    ],
)
def test_old_savefile_links_redirect_to_the_article(
    client, old_site, url, django_assert_num_queries
):
    assert_redirect(client, url, old_site["article"].get_absolute_url(), django_assert_num_queries)


def test_a_paged_link_past_the_portals_last_page_opens_the_category(client, old_site):
    response = client.get("/tin-tuc/page-40/", follow=True)
    assert response.status_code == 200
    assert old_site["category"].name in response.content.decode()


@pytest.mark.parametrize(
    ("url", "location"),
    [
        ("/seek/", "/tim-kiem/"),
        ("/seek/?q=nghi+quyet", "/tim-kiem/?q=nghi+quyet"),
        ("/vi/seek/", "/tim-kiem/"),
        ("/search/", "/tim-kiem/"),
        ("/index.php?language=vi&nv=seek", "/tim-kiem/"),
        ("/feeds/", "/"),  # no list of feeds here
        ("/statistics/", "/"),
        ("/users/", "/"),
        ("/about/", "/"),
        ("/siteterms/", "/"),
    ],
)
def test_module_roots_the_old_pages_print_redirect_to_the_portals_page(
    client, url, location, django_assert_num_queries
):
    assert_redirect(client, url, location, django_assert_num_queries, queries=0)


@pytest.mark.parametrize(
    ("url", "location"), [("/contact/", "/lien-he/"), ("/voting/", "/tham-do/")]
)
def test_contact_and_polls_roots_go_to_their_pages(client, url, location):
    response = client.get(url)
    assert response.status_code == 301 and response["Location"] == location


def test_page_module_links_redirect_to_the_static_page(client, django_assert_num_queries):
    from pages.models import Page

    page = Page.objects.create(title="Giới thiệu", slug="gioi-thieu-ban", body="<p>x</p>")
    hidden = Page.objects.create(title="Ẩn", slug="an", is_published=False)
    LegacyLink.objects.create(
        kind=LegacyLink.Kind.PAGE, nv_id=1, alias="about/gioi-thieu", page=page
    )
    LegacyLink.objects.create(kind=LegacyLink.Kind.PAGE, nv_id=2, alias="about/an", page=hidden)
    for url in ("/about/gioi-thieu.html", "/vi/about/gioi-thieu.html",
                "/index.php?language=vi&nv=about&op=gioi-thieu.html"):  # fmt: skip
        assert_redirect(client, url, page.get_absolute_url(), django_assert_num_queries)
    assert client.get("/about/an.html").status_code == 404
    assert client.get("/siteterms/gioi-thieu.html").status_code == 404  # another module's page
