"""Which requests count as reader page views, and what each adds to every table."""

from datetime import date

import pytest
from django.core.exceptions import MiddlewareNotUsed
from django.db import connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from news.models import Article
from stats import readers
from stats.middleware import PageViewMiddleware
from stats.models import Breakdown, DailyTraffic, HourlyTraffic, ObjectViews, PageViews
from tests.conftest import make_article
from tests.stats.conftest import (
    ANDROID_CHROME,
    IPAD_SAFARI,
    IPHONE_SAFARI,
    WINDOWS_COCCOC,
    flush,
    reader,
)

pytestmark = pytest.mark.django_db
DAY = date(2026, 3, 10)


def traffic(day=DAY):
    row = DailyTraffic.objects.filter(day=day).first()
    return (row.page_views, row.visits, row.readers) if row else (0, 0, 0)


def breakdown(dimension, bucket="d"):
    return dict(
        Breakdown.objects.filter(bucket=bucket, dimension=dimension).values_list("value", "n")
    )


def test_a_reader_page_view_is_counted_in_every_table(clock):
    article = make_article()
    clock.set(2026, 3, 10, 9, 15)
    browser = reader(HTTP_REFERER="https://www.google.com/search?q=binh+phuoc")
    assert browser.get("/").status_code == 200
    assert browser.get(article.get_absolute_url()).status_code == 200
    flush()

    assert traffic() == (2, 1, 1)
    hour = HourlyTraffic.objects.get(day=DAY, hour=9)
    assert (hour.page_views, hour.visits, hour.readers) == (2, 1, 1)
    assert dict(PageViews.objects.filter(bucket="d", day=DAY).values_list("path", "n")) == {
        "/": 1,
        article.get_absolute_url(): 1,
    }
    # The monthly rows say the same for March.
    assert PageViews.objects.get(bucket="m", day=date(2026, 3, 1), path="/").n == 1
    views = ObjectViews.objects.get(bucket="d", day=DAY, kind="article", object_id=article.pk)
    assert views.n == 1
    assert breakdown("referrer") == {"www.google.com": 2}  # host only, per page view
    assert breakdown("browser") == {"Chrome": 1}  # per reader of the day
    assert breakdown("os") == {"Android": 1}
    assert breakdown("device") == {"phone": 1}
    assert breakdown("kind") == {"article": 1}
    article.refresh_from_db()
    assert article.view_count == 1


def test_per_article_daily_views_add_up_to_the_article_counter(clock):
    article = make_article()
    for i in range(5):
        reader(ip=f"198.51.100.{i}").get(article.get_absolute_url())
    reader(ip="198.51.100.0").get(article.get_absolute_url())  # a repeat: counts once
    flush()
    clock.set(2026, 3, 11, 8, 0)
    reader(ip="198.51.100.9").get(article.get_absolute_url())
    flush()
    article.refresh_from_db()
    daily = ObjectViews.objects.filter(bucket="d", kind="article", object_id=article.pk)
    assert dict(daily.values_list("day", "n")) == {DAY: 5, date(2026, 3, 11): 1}
    assert sum(daily.values_list("n", flat=True)) == article.view_count == 6
    assert ObjectViews.objects.get(bucket="m", object_id=article.pk).n == 6
    assert traffic() == (6, 5, 5)


def test_several_readers_and_flushes_add_up(clock):
    for i in range(3):
        browser = reader(ip=f"203.113.2.{i}")
        for _ in range(i + 1):
            assert browser.get("/").status_code == 200
        flush()
    assert traffic() == (1 + 2 + 3, 3, 3)


BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/124.0 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; coccoc/1.0; +http://help.coccoc.com/)",
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "curl/8.5.0",
    "python-requests/2.32.3",
    "Wget/1.21.4",
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "HeadlessChrome/124.0.0.0 Safari/537.36",
    "Mozilla/5.0 (compatible; YandexBot/3.0; +http://yandex.com/bots)",
    "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)",
    "Mozilla/5.0 AppleWebKit/537.36 (KHTML, like Gecko; compatible; GPTBot/1.2; "
    "+https://openai.com/gptbot)",
    "Zalo Link Preview",
    "",
]


@pytest.mark.parametrize("user_agent", BOTS)
def test_bots_are_not_counted(clock, user_agent):
    assert readers.is_bot(user_agent)
    assert reader(ua=user_agent).get("/").status_code == 200
    flush()
    assert traffic() == (0, 0, 0)
    assert not PageViews.objects.exists()


PEOPLE = [
    ANDROID_CHROME,
    IPHONE_SAFARI,
    WINDOWS_COCCOC,
    IPAD_SAFARI,
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
    "like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.36.107;FBBV/584414064]",
    "Mozilla/5.0 (Linux; Android 12; SM-A125F Build/SP1A.210812.016; wv) AppleWebKit/537.36 "
    "(KHTML, like Gecko) Version/4.0 Chrome/123.0 Mobile Safari/537.36 Zalo android/12090152 "
    "ZaloTheme/light ZaloLanguage/vi",
]


@pytest.mark.parametrize("user_agent", PEOPLE)
def test_people_browsers_are_counted(clock, user_agent):
    assert not readers.is_bot(user_agent)
    reader(ua=user_agent).get("/")
    flush()
    assert traffic() == (1, 1, 1)


def test_what_is_not_a_reader_page_view_is_not_counted(clock, editor, client):
    article = make_article()
    browser = reader()
    browser.head("/")  # 405 from the news views today (require_GET); never counted either way
    assert browser.post("/").status_code == 405
    assert browser.get("/bai-viet/khong-co-bai-nay/").status_code == 404
    assert browser.get("/rss/").status_code == 200
    assert browser.get("/healthz").status_code == 200
    assert browser.get("/robots.txt").status_code == 200
    assert browser.get("/sitemap.xml").status_code == 200
    assert browser.get("/static/css/site.css").status_code == 200
    assert browser.get("/admin/login/").status_code == 200
    assert browser.get(article.get_absolute_url().rstrip("/")).status_code == 301
    for header in [
        {"HTTP_SEC_PURPOSE": "prefetch"},
        {"HTTP_SEC_PURPOSE": "prefetch;prerender"},
        {"HTTP_PURPOSE": "prefetch"},
        {"HTTP_X_MOZ": "prefetch"},
        {"HTTP_X_PURPOSE": "preview"},
    ]:
        assert browser.get("/", **header).status_code == 200
    client.force_login(editor)
    assert client.get("/", HTTP_USER_AGENT=ANDROID_CHROME).status_code == 200
    flush()
    assert traffic() == (0, 0, 0)
    assert not PageViews.objects.exists()
    assert not Breakdown.objects.exists()


def test_head_media_and_configured_paths_are_not_counted(settings, clock):
    settings.STATS_IGNORE_PATHS = ["/trang/noi-bo/"]
    factory = RequestFactory(HTTP_USER_AGENT=ANDROID_CHROME)
    middleware = PageViewMiddleware(lambda request: HttpResponse("<p>html</p>"))
    for path in ["/media/2026/03/bai.html", "/trang/noi-bo/xem/", "/static/x.html"]:
        middleware(factory.get(path))
    middleware(factory.head("/chuyen-muc/thoi-su/"))
    middleware(factory.get("/chuyen-muc/thoi-su/"))
    flush()
    assert list(PageViews.objects.filter(bucket="d").values_list("path", flat=True)) == [
        "/chuyen-muc/thoi-su/"
    ]


def test_middleware_turned_off_is_not_used(settings):
    settings.STATS_MIDDLEWARE = False
    with pytest.raises(MiddlewareNotUsed):
        PageViewMiddleware(lambda request: HttpResponse())


def test_referrer_is_kept_as_host_only_and_this_site_is_not_a_referrer(clock):
    referers = [
        "https://m.facebook.com/story.php?story_fbid=123&id=456&fbclid=IwAR0abc",
        "https://M.Facebook.com/other",
        "http://testserver/chuyen-muc/thoi-su/",
        "http://127.0.0.1:8000/",
        "http://10.1.2.3/noi-bo",
        "not a url at all",
        "",
    ]
    for i, referer in enumerate(referers):
        reader(ip=f"203.113.3.{i}", HTTP_REFERER=referer).get("/")
    flush()
    assert breakdown("referrer") == {"m.facebook.com": 2, "(địa chỉ IP)": 1}
    assert not Breakdown.objects.filter(value__contains="fbclid").exists()


def test_browser_system_and_device_are_counted_once_per_reader_per_day(clock):
    for ip, ua, views in [
        ("203.113.4.1", IPHONE_SAFARI, 3),
        ("203.113.4.2", IPAD_SAFARI, 1),
        ("203.113.4.3", WINDOWS_COCCOC, 2),
    ]:
        for _ in range(views):
            reader(ip=ip, ua=ua).get("/")
    flush()
    assert breakdown("browser") == {"Safari": 2, "Cốc Cốc": 1}
    assert breakdown("os") == {"iOS": 1, "iPadOS": 1, "Windows": 1}
    assert breakdown("device") == {"phone": 1, "tablet": 1, "desktop": 1}
    assert breakdown("device", bucket="m") == {"phone": 1, "tablet": 1, "desktop": 1}


def test_counting_adds_no_query_to_a_page(reader_client, clock):
    make_article()
    assert reader_client.get("/").status_code == 200  # warms the salt and the blocks
    with CaptureQueriesContext(connection) as queries:
        assert reader_client.get("/").status_code == 200
    assert not [q for q in queries.captured_queries if "stats_" in q["sql"]]
    assert len(reader_client.get("/").content) > 0
    flush()
    assert traffic() == (3, 1, 1)


def test_the_articles_own_count_is_unchanged_for_staff_previews(clock, client, editor):
    draft = make_article("Bản nháp", status=Article.Status.DRAFT)
    client.force_login(editor)
    assert client.get(draft.get_absolute_url()).status_code == 200
    flush()
    draft.refresh_from_db()
    assert draft.view_count == 0
    assert not ObjectViews.objects.exists()


@pytest.mark.parametrize(
    "header",
    [{"HTTP_SEC_PURPOSE": "prefetch"}, {"HTTP_PURPOSE": "prefetch"}, {"HTTP_X_MOZ": "prefetch"}],
)
def test_a_prefetched_article_raises_neither_its_views_nor_the_page_views(clock, header):
    article = make_article()
    browser = reader()
    assert browser.get(article.get_absolute_url(), **header).status_code == 200
    flush()
    article.refresh_from_db()
    assert (article.view_count, traffic()) == (0, (0, 0, 0))
    # The reader then opens the link: both counters move together.
    assert browser.get(article.get_absolute_url()).status_code == 200
    flush()
    article.refresh_from_db()
    assert (article.view_count, traffic()) == (1, (1, 1, 1))
