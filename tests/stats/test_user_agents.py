"""Who counts as a reader: a corpus of real user agents through the bot filter and the parser.

Bot detection is crawlerdetect's and parsing ua-parser's; the local additions in
stats/readers.py and stats/agents.py each have a case here.
"""

from datetime import date

import pytest

from stats import agents, readers
from stats.models import DailyTraffic
from tests.stats.conftest import flush, reader

# (user agent, browser, system, device) as the dashboard shows them.
READERS = [
    (  # Cốc Cốc on Windows
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "coc_coc_browser/124.0.234 Chrome/118.0.5993.234 Safari/537.36",
        "Cốc Cốc", "Windows", "desktop",
    ),
    (  # Cốc Cốc on Android
        "Mozilla/5.0 (Linux; Android 13; SM-A145F) AppleWebKit/537.36 (KHTML, like Gecko) "
        "coc_coc_browser/136.0.210 Chrome/130.0.6723.210 Mobile Safari/537.36",
        "Cốc Cốc", "Android", "phone",
    ),
    (  # Cốc Cốc on iPhone: crawlerdetect's "CocCoc" pattern takes it for coccocbot
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) CocCocBrowser/139.0.278 Mobile/15E148 Safari/604.1",
        "Cốc Cốc", "iOS", "phone",
    ),
    (  # Zalo's in-app browser on Android (ua-parser says Chrome)
        "Mozilla/5.0 (Linux; Android 12; SM-A125F Build/SP1A.210812.016; wv) "
        "AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/123.0 Mobile Safari/537.36 "
        "Zalo android/12090152 ZaloTheme/light ZaloLanguage/vi",
        "Zalo", "Android", "phone",
    ),
    (  # Zalo's in-app browser on iPhone
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
        "(KHTML, like Gecko) Mobile/15E148 Zalo iOS/556 ZaloTheme/light ZaloLanguage/vi",
        "Zalo", "iOS", "phone",
    ),
    (  # Facebook's in-app browser on iPhone
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Mobile/15E148 [FBAN/FBIOS;FBAV/460.0.0.36.107;FBBV/584414064]",
        "Facebook", "iOS", "phone",
    ),
    (  # Facebook's in-app browser on Android
        "Mozilla/5.0 (Linux; Android 14; SM-G991B Build/UP1A.231005.007; wv) AppleWebKit/537.36 "
        "(KHTML, like Gecko) Version/4.0 Chrome/124.0.6367.82 Mobile Safari/537.36 "
        "[FB_IAB/FB4A;FBAV/462.0.0.54.109;]",
        "Facebook", "Android", "phone",
    ),
    (  # Samsung Internet
        "Mozilla/5.0 (Linux; Android 14; SAMSUNG SM-S918B) AppleWebKit/537.36 (KHTML, like "
        "Gecko) SamsungBrowser/25.0 Chrome/121.0.0.0 Mobile Safari/537.36",
        "Samsung Internet", "Android", "phone",
    ),
    (  # Chrome on Windows
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36",
        "Chrome", "Windows", "desktop",
    ),
    (  # Chrome on Android
        "Mozilla/5.0 (Linux; Android 10; K) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Mobile Safari/537.36",
        "Chrome", "Android", "phone",
    ),
    (  # Chrome on iPhone
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) CriOS/124.0.6367.88 Mobile/15E148 Safari/604.1",
        "Chrome", "iOS", "phone",
    ),
    (  # Safari on iPhone
        "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, "
        "like Gecko) Version/17.4 Mobile/15E148 Safari/604.1",
        "Safari", "iOS", "phone",
    ),
    (  # Safari on iPad
        "Mozilla/5.0 (iPad; CPU OS 17_4 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
        "Version/17.4 Mobile/15E148 Safari/604.1",
        "Safari", "iPadOS", "tablet",
    ),
    (  # Safari on a Mac
        "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like "
        "Gecko) Version/17.4 Safari/605.1.15",
        "Safari", "macOS", "desktop",
    ),
    (  # Firefox on Windows
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:125.0) Gecko/20100101 Firefox/125.0",
        "Firefox", "Windows", "desktop",
    ),
    (  # Firefox on Android
        "Mozilla/5.0 (Android 14; Mobile; rv:125.0) Gecko/125.0 Firefox/125.0",
        "Firefox", "Android", "phone",
    ),
    (  # Edge on Windows
        "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
        "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51",
        "Edge", "Windows", "desktop",
    ),
]  # fmt: skip

BOTS = [
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Chrome/124.0.6367.118 Mobile Safari/537.36 (compatible; Googlebot/2.1; "
    "+http://www.google.com/bot.html)",
    "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)",
    "Mozilla/5.0 (compatible; coccocbot-web/1.0; +http://help.coccoc.com/searchengine)",
    "Mozilla/5.0 (compatible; coccocbot-image/1.0; +http://help.coccoc.com/searchengine)",
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
    "Twitterbot/1.0",
    "TelegramBot (like TwitterBot)",
    "",
    "   ",
]
# Each entry of the local list (stats.readers.LOCAL_BOTS) that crawlerdetect does not know.
LOCAL_BOTS = {
    "zalo link preview": "Zalo Link Preview",
    "wrk/": "wrk/4.2.0",
    "k6/": "k6/0.49.0 (https://k6.io/)",
}


@pytest.mark.parametrize(("user_agent", "browser", "system", "device"), READERS)
def test_people_browsers_are_readers_with_their_browser_named(user_agent, browser, system, device):
    assert not readers.is_bot(user_agent)
    assert agents.parse(user_agent) == (browser, system, device)


@pytest.mark.parametrize("user_agent", BOTS)
def test_crawlers_previews_and_scripts_are_bots(user_agent):
    assert readers.is_bot(user_agent)


def test_every_local_bot_entry_is_needed_and_works():
    assert set(LOCAL_BOTS) == set(readers.LOCAL_BOTS)
    for token, user_agent in LOCAL_BOTS.items():
        assert token in user_agent.lower()
        assert not readers._crawlers.is_crawler(user_agent), f"{token}: no longer needed"
        assert readers.is_bot(user_agent), user_agent


def test_coccoc_crawler_is_a_bot_while_its_iphone_browser_is_a_reader():
    iphone = READERS[2][0]
    assert readers._crawlers.is_crawler(iphone)  # what the local exception is for
    assert not readers.is_bot(iphone)
    assert readers.is_bot("Mozilla/5.0 (compatible; coccocbot-web/1.0)")


@pytest.mark.django_db
def test_a_coccoc_iphone_reader_is_in_the_statistics(clock):
    clock.set(2026, 3, 10, 9, 15)
    assert reader(ua=READERS[2][0]).get("/").status_code == 200
    flush()
    row = DailyTraffic.objects.get(day=date(2026, 3, 10))
    assert (row.page_views, row.readers) == (1, 1)
