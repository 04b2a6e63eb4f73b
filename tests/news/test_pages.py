"""Reader pages: what a reader sees, and what each page costs in queries."""

import re
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from news.models import Article, Category, Tag
from portal import fragments
from tests.conftest import SITE_BLOCKS_AFTER_A_CHANGE, make_article, make_category

pytestmark = pytest.mark.django_db


@pytest.fixture
def site():
    """Two top-level categories (one with a subcategory) and a few articles."""
    politics = make_category("Chính trị", order=1)
    party = make_category("Xây dựng Đảng", parent=politics, order=1)
    economy = make_category("Kinh tế", order=2)
    tag = Tag.objects.create(name="Tuyên giáo")
    main = make_article(
        category=politics,
        author="Tuyết Anh",
        source_name="Báo Bình Phước",
        featured=True,
        publish_at=timezone.make_aware(timezone.datetime(2022, 1, 10, 19, 0)),
        summary="Sáng ngày 10/01/2022, Ban Tuyên giáo Tỉnh ủy tổ chức Hội nghị tổng kết.",
    )
    main.tags.add(tag)
    make_article("Hội nghị học tập nghị quyết của Đảng", category=party)
    make_article("Kinh tế tỉnh tăng trưởng 6,32%", category=economy)
    return {"politics": politics, "party": party, "economy": economy, "main": main, "tag": tag}


def add_articles(category, n):
    now = timezone.now()
    Article.objects.bulk_create(
        [
            Article(
                title=f"Bài số {i}", slug=f"bai-so-{category.pk}-{i}", category=category,
                status=Article.Status.PUBLISHED, publish_at=now - timedelta(minutes=i + 5),
                summary="Tóm tắt", body="<p>Nội dung</p>",
            )
            for i in range(n)
        ]
    )  # fmt: skip


def test_article_page_reads_like_the_reference(reader_client, site):
    response = reader_client.get(site["main"].get_absolute_url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "Bình Phước tổ chức hội nghị tổng kết công tác tuyên giáo năm 2021" in html
    assert "Thứ Hai - 10/01/2022 19:00" in html
    assert "Tác giả: <strong>Tuyết Anh</strong>" in html
    assert "Báo Bình Phước" in html
    assert 'href="/the/tuyen-giao/"' in html
    assert '<link rel="canonical" href="http://127.0.0.1:8000/bai-viet/' in html
    assert '<meta property="og:title"' in html
    assert "lượt xem" in html


def test_article_slug_is_ascii_from_vietnamese_title(site):
    article = make_article("Đà Nẵng đón khách", category=site["economy"])
    assert article.slug == "da-nang-don-khach"
    again = make_article("Đà Nẵng đón khách", category=site["economy"])
    assert again.slug == "da-nang-don-khach-2"


def test_home_shows_featured_and_each_top_level_category(reader_client, site):
    html = reader_client.get("/").content.decode()
    assert "Tin tiêu điểm" in html
    assert "Bình Phước tổ chức hội nghị" in html
    # The subcategory's article appears under its top-level category.
    assert "Hội nghị học tập nghị quyết của Đảng" in html
    assert "Kinh tế tỉnh tăng trưởng 6,32%" in html
    assert "Xây dựng Đảng" in html  # in the menu, as a subcategory


def test_category_page_includes_subcategories(reader_client, site):
    html = reader_client.get(site["politics"].get_absolute_url()).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert "Hội nghị học tập nghị quyết của Đảng" in main
    assert "Kinh tế tỉnh tăng trưởng" not in main


def test_the_article_head_describes_the_article_once_and_other_pages_the_site(reader_client, site):
    html = reader_client.get(site["main"].get_absolute_url()).content.decode()
    head = html[: html.index("</head>")]
    assert head.count('<meta name="description"') == 1 == html.count('<meta name="description"')
    assert f'<meta name="description" content="{site["main"].summary}">' in head
    home = reader_client.get("/").content.decode()
    assert home.count('<meta name="description"') == 1
    assert '<meta name="description" content="' + site["main"].summary not in home


def test_a_subcategory_page_shows_its_parent_in_the_crumbs_in_one_query(
    reader_client, site, django_assert_num_queries
):
    url = site["party"].get_absolute_url()
    reader_client.get(url)
    with django_assert_num_queries(1, info=url):
        html = reader_client.get(url).content.decode()
    crumbs = html[
        html.index('<nav class="crumbs"') : html.index("</nav>", html.index('<nav class="crumbs"'))
    ]
    parent = site["politics"]
    assert f'<a href="{parent.get_absolute_url()}">{parent.name}</a>' in crumbs
    assert f"<span>{site['party'].name}</span>" in crumbs


def test_unpublished_and_scheduled_articles_are_404_to_the_public(reader_client, site):
    draft = make_article("Bản nháp bí mật", status=Article.Status.DRAFT)
    hidden = make_article("Bài đã ẩn", status=Article.Status.HIDDEN)
    scheduled = make_article("Bài hẹn giờ", publish_at=timezone.now() + timedelta(hours=2))
    for article in (draft, hidden, scheduled):
        assert reader_client.get(article.get_absolute_url()).status_code == 404
    html = reader_client.get("/").content.decode()
    assert "Bản nháp bí mật" not in html and "Bài hẹn giờ" not in html


def test_scheduled_article_appears_when_its_time_comes(reader_client, site):
    article = make_article("Bài hẹn giờ", publish_at=timezone.now() + timedelta(hours=2))
    assert reader_client.get(article.get_absolute_url()).status_code == 404
    Article.objects.filter(pk=article.pk).update(publish_at=timezone.now() - timedelta(seconds=1))
    assert reader_client.get(article.get_absolute_url()).status_code == 200


def test_staff_can_preview_unpublished_article(client, editor, site):
    draft = make_article("Bản nháp chờ duyệt", status=Article.Status.PENDING)
    client.force_login(editor)
    response = client.get(draft.get_absolute_url())
    assert response.status_code == 200
    assert "Bản xem trước" in response.content.decode()


def test_tag_page_lists_tagged_articles(reader_client, site):
    html = reader_client.get(site["tag"].get_absolute_url()).content.decode()
    assert "Thẻ: Tuyên giáo" in html
    assert "Bình Phước tổ chức hội nghị" in html


def test_print_view_has_the_article_without_the_site_chrome(reader_client, site):
    html = reader_client.get(
        reverse("news:article-print", args=[site["main"].slug])
    ).content.decode()
    assert "Bình Phước tổ chức hội nghị" in html
    assert "Tin xem nhiều" not in html


def test_most_read_block_lists_recent_articles_by_views(reader_client, site):
    popular = make_article("Bài được đọc nhiều nhất", category=site["economy"])
    Article.objects.filter(pk=popular.pk).update(view_count=999)
    html = reader_client.get("/").content.decode()
    block = html[html.index("Tin xem nhiều") :]
    assert block.index("Bài được đọc nhiều nhất") < block.index("Kinh tế tỉnh tăng trưởng")
    assert "999 lượt xem" in block


@pytest.mark.parametrize("bad", ["abc", "0", "-1", "999999", "1.5"])
def test_bad_page_numbers_are_404_with_a_message(reader_client, site, bad):
    response = reader_client.get(site["politics"].get_absolute_url(), {"page": bad})
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_unknown_slugs_are_404(reader_client, site):
    for url in ["/bai-viet/khong-co-bai-nay/", "/chuyen-muc/khong-co/", "/the/khong-co/"]:
        response = reader_client.get(url)
        assert response.status_code == 404
        assert "Không tìm thấy trang" in response.content.decode()


# Query counts: each page's cost does not grow with the number of articles.
# Shared blocks (menu, "Tin xem nhiều") are cached after the first request, so each page is
# requested once to warm the cache and then measured.


COLD_ARTICLE_QUERIES = 18 + SITE_BLOCKS_AFTER_A_CHANGE


def _measure(client, url, django_assert_num_queries, expected):
    assert client.get(url).status_code == 200
    with django_assert_num_queries(expected, info=url):
        assert client.get(url).status_code == 200


def _measure_after_a_change(client, url, django_assert_num_queries, expected):
    """A new content generation: the page's own fragments (lists, counts) are rebuilt."""
    assert client.get(url).status_code == 200
    fragments.bump()
    with django_assert_num_queries(expected, info=url):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_home_queries(reader_client, site, django_assert_num_queries, extra):
    add_articles(site["economy"], extra)
    # Warm: none (the news sections are a fragment per content generation).
    _measure(reader_client, "/", django_assert_num_queries, 0)
    # After a change: featured; latest per top-level category (2); the site-wide blocks
    _measure_after_a_change(
        reader_client, "/", django_assert_num_queries, 3 + SITE_BLOCKS_AFTER_A_CHANGE
    )


@pytest.mark.parametrize("extra", [0, 40])
def test_article_queries(reader_client, site, django_assert_num_queries, extra):
    add_articles(site["politics"], extra)
    # Warm: the article with its rating total (comments app's block), one query. Head,
    # crumbs, body, tags and related list are cached fragments.
    _measure(reader_client, site["main"].get_absolute_url(), django_assert_num_queries, 1)


@pytest.mark.parametrize("extra", [0, 40])
def test_article_queries_with_cold_caches(reader_client, site, django_assert_num_queries, extra):
    add_articles(site["politics"], extra)
    url = site["main"].get_absolute_url()
    # Cold: the article with its rating total; its category (for the head and crumbs: a
    # main category here, no parent to read); its other columns (deferred, read together)
    # and tags; related; and the
    # site-wide blocks filling their caches (menu, site settings and footer pages, latest
    # documents, most read, active topics, statistics totals and baseline, banners, the open
    # poll's answers, the staff-edited menu and the free blocks). None grows with rows.
    with django_assert_num_queries(COLD_ARTICLE_QUERIES, info=url):
        assert reader_client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_category_queries(reader_client, site, django_assert_num_queries, extra):
    add_articles(site["party"], extra)
    url = site["politics"].get_absolute_url()
    # The category with its subcategories' ids (the count and the page's list are cached
    # per generation)
    _measure(reader_client, url, django_assert_num_queries, 1)
    if extra:
        _measure(reader_client, f"{url}?page=2", django_assert_num_queries, 1)
    # After a change (a new content generation): the count and the page too.
    fragments.bump()
    with django_assert_num_queries(7, info=url):
        assert reader_client.get(url).status_code == 200


@pytest.mark.parametrize("extra", [0, 40])
def test_tag_search_feed_sitemap_queries(reader_client, site, django_assert_num_queries, extra):
    add_articles(site["politics"], extra)
    for article in Article.objects.all()[:50]:
        article.tags.add(site["tag"])
    _measure(
        reader_client, site["tag"].get_absolute_url(), django_assert_num_queries, 3
    )  # tag, count, page
    # none: a repeated query's count and results are cached per generation (tests/search)
    _measure(reader_client, "/tim-kiem/?q=noi+dung", django_assert_num_queries, 0)
    _measure(reader_client, "/rss/", django_assert_num_queries, 1)
    _measure(
        reader_client,
        reverse("news:category-feed", args=["chinh-tri"]),
        django_assert_num_queries,
        3,
    )
    # articles: count and latest change; categories: count; polls and questions: count
    # and latest each; schedule: the leaders; topics: count
    _measure(reader_client, "/sitemap.xml", django_assert_num_queries, 9)
    _measure(reader_client, "/sitemap-articles.xml", django_assert_num_queries, 2)  # count, page


def test_category_page_lists_extra_category_articles_once(reader_client, site):
    both = make_article("Bài thuộc hai chuyên mục", category=site["politics"])
    both.extra_categories.add(site["party"])
    elsewhere = make_article("Bài kinh tế gắn thêm chuyên mục Đảng", category=site["economy"])
    elsewhere.extra_categories.add(site["party"])
    html = reader_client.get(site["politics"].get_absolute_url()).content.decode()
    main = html[html.index("<main") : html.index("</main>")]
    assert main.count("Bài thuộc hai chuyên mục") == 1
    assert "Bài kinh tế gắn thêm chuyên mục Đảng" in main


def _main_html(response):
    html = response.content.decode()
    return html[html.index("<main") : html.index("</main>")]


def test_category_page_lists_articles_whose_extra_category_it_is(reader_client, site):
    extra = make_article("Bài kinh tế gắn thêm chuyên mục Chính trị", category=site["economy"])
    extra.extra_categories.add(site["politics"])
    main = _main_html(reader_client.get(site["politics"].get_absolute_url()))
    assert "Bài kinh tế gắn thêm chuyên mục Chính trị" in main
    # and on its own category's page too, once
    main = _main_html(reader_client.get(site["economy"].get_absolute_url()))
    assert main.count("Bài kinh tế gắn thêm chuyên mục Chính trị") == 1


def test_category_pages_count_and_order_every_path_once(reader_client, site):
    """Main category, subcategory, extra category (also twice, and also the main one):
    each published article once, newest first, over the right number of pages; drafts,
    hidden and scheduled articles nowhere, not even in the count."""
    now = timezone.now()
    politics, party, economy = site["politics"], site["party"], site["economy"]
    add_articles(party, 12)  # "Bài số 0..11", 5-16 minutes ago
    for i in range(4):  # only by extra categories, one of them in both parent and child
        a = make_article(
            f"Bài thêm {i}", category=economy, publish_at=now - timedelta(minutes=2 * i + 6)
        )
        a.extra_categories.add(party, *([politics] if i == 0 else []))
    both = make_article(
        "Bài chính trị gắn thêm Đảng", category=politics, publish_at=now - timedelta(minutes=1)
    )
    both.extra_categories.add(party)
    for status, when, title in [
        (Article.Status.DRAFT, now, "Bản nháp"),
        (Article.Status.HIDDEN, now, "Bài đã ẩn"),
        (Article.Status.PUBLISHED, now + timedelta(hours=1), "Bài hẹn giờ"),
    ]:
        hidden = make_article(title, category=economy, status=status, publish_at=when)
        hidden.extra_categories.add(politics)
        make_article(f"{title} chính", category=party, status=status, publish_at=when)
    # setup's 2 (main article, party's) + 12 + 4 + 1 = 19: 15 on page 1, 4 on page 2
    expected = Article.objects.published().in_category(politics).order_by("-publish_at", "-id")
    titles = [a.title for a in expected]
    assert len(titles) == 19 and len(set(titles)) == 19
    page1 = _main_html(reader_client.get(politics.get_absolute_url()))
    page2 = _main_html(reader_client.get(politics.get_absolute_url(), {"page": 2}))
    assert "Trang 1 / 2" in page1 and "Trang 2 / 2" in page2
    for html, want in [(page1, titles[:15]), (page2, titles[15:])]:
        positions = [html.index(f">{t}<") for t in want]
        assert positions == sorted(positions)  # newest first
    for title in ["Bản nháp", "Bài đã ẩn", "Bài hẹn giờ"]:
        assert title not in page1 + page2
    assert reader_client.get(politics.get_absolute_url(), {"page": 3}).status_code == 404
    # The subcategory alone: its 12, its own article, 4 by extra category, 1 main elsewhere.
    party_page = _main_html(reader_client.get(party.get_absolute_url(), {"page": 2}))
    assert "Trang 2 / 2" in party_page
    assert Article.objects.published().for_list().category_listing(party).count() == 18


def test_category_page_count_follows_a_change(reader_client, site):
    """The cached count is per content generation: a saved article counts at once."""
    politics = site["politics"]
    add_articles(politics, 28)  # with setup's 2: 30, two full pages
    assert "Trang 1 / 2" in reader_client.get(politics.get_absolute_url()).content.decode()
    make_article("Bài mới nhất", category=site["party"], publish_at=timezone.now())
    html = reader_client.get(politics.get_absolute_url()).content.decode()
    assert "Trang 1 / 3" in html and "Bài mới nhất" in html
    last = reader_client.get(politics.get_absolute_url(), {"page": 3}).content.decode()
    assert "Trang 3 / 3" in last and last.count('<article class="item">') == 1


def test_tags_read_as_separate_words_without_a_stray_comma(client):
    article = make_article()
    article.tags.add(Tag.objects.create(name="Chuyển đổi số", slug="chuyen-doi-so"),
                     Tag.objects.create(name="Khu dân cư", slug="khu-dan-cu"))  # fmt: skip
    html = client.get(article.get_absolute_url()).content.decode()
    tags = re.search(r'<div class="tags">(.*?)</div>', html, re.S)[1]
    assert " ," not in re.sub(r"<[^>]+>", "", tags)
    assert tags.count("<a ") == 2


def test_the_comment_count_stands_beside_the_views(reader_client, site):
    Article.objects.filter(pk=site["main"].pk).update(view_count=629, comment_count=3)
    html = reader_client.get(site["main"].get_absolute_url()).content.decode()
    meta = re.search(r'<p class="meta">(.*?)</p>', html, re.S)[1]
    text = " ".join(re.sub(r"<[^>]+>", " ", meta).split())
    assert "629 lượt xem · 3 bình luận" in text


@pytest.mark.parametrize("extra", [0, 5])
def test_the_site_map_lists_every_section_for_people(
    reader_client, site, django_assert_num_queries, extra
):
    for i in range(extra):
        make_category(f"Chuyên mục thêm {i}", parent=site["politics"])
    url = reverse("news:site-map")
    html = reader_client.get(url).content.decode()
    assert '<h1 class="page-title">Sơ đồ trang</h1>' in html
    for category in Category.objects.all():
        assert f'href="{category.get_absolute_url()}"' in html
    assert 'href="/van-ban/"' in html
    assert f'<a href="{url}">Sơ đồ trang</a>' in html  # the footer leads here
    # Warm: the categories in tree order, one query whatever their number.
    _measure(reader_client, url + "?lan=2", django_assert_num_queries, 1)


def test_a_scheduled_article_reaches_the_cached_lists_at_its_time(reader_client, site):
    # The home page's lists are fragments of the content generation; the generation knows
    # when the next scheduled article goes live and starts anew then (portal.fragments).
    publish_at = timezone.now() + timedelta(seconds=1)
    make_article("Bài hẹn giờ xuất bản", category=site["politics"], publish_at=publish_at)
    assert "Bài hẹn giờ xuất bản" not in reader_client.get("/").content.decode()
    time.sleep(max(0.0, (publish_at - timezone.now()).total_seconds()) + 0.1)
    assert "Bài hẹn giờ xuất bản" in reader_client.get("/").content.decode()
