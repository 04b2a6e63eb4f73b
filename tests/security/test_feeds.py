"""RSS feeds carry no live markup: readers and aggregators decode <title> and
<description> as HTML, so a hostile title or summary must arrive there as plain text."""

import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest

from news.models import Category
from tests.conftest import make_article, make_category

pytestmark = pytest.mark.django_db

HOSTILE_TITLE = '<script>alert("t1")</script><img src=x onerror=alert(2)>Tin &lt;b&gt;nóng'
HOSTILE_SUMMARY = '<iframe src="javascript:alert(4)"></iframe>Tóm tắt & <svg onload=alert(5)>'


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)


def tags_in(html: str) -> list[str]:
    """The elements a feed reader would build from this text, if it reads it as HTML."""
    parser = _Tags()
    parser.feed(html)
    parser.close()
    return parser.tags


def feed_items(client, url):
    response = client.get(url)
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own feed, in a test
    return [(i.findtext("title"), i.findtext("description")) for i in root.iter("item")]


@pytest.fixture
def hostile():
    category = make_category("Thời sự")
    make_article(HOSTILE_TITLE, category=category, summary=HOSTILE_SUMMARY)
    make_article('Kinh tế & xã hội "tăng tốc"', category=category, summary="Quý I > quý IV.")
    return category


def test_every_feed_carries_hostile_fields_as_plain_text(client, hostile):
    urls = ["/rss/"] + [f"/chuyen-muc/{c.slug}/rss/" for c in Category.objects.all()]
    for url in urls:
        items = feed_items(client, url)
        assert len(items) == 2, url
        for title, description in items:
            # Decoded once (XML), then read as HTML by the reader: no element appears,
            # not even after a second decoding of entities the author typed.
            assert tags_in(title) == [], (url, title)
            assert tags_in(description) == [], (url, description)
            assert "<" not in title and "&lt;" not in title
            assert "javascript:" not in description and "<iframe" not in description
        titles = dict(items)
        assert titles["Tin bnóng"] == "Tóm tắt &amp;"
        # Honest punctuation survives; the summary's ">" is text, escaped for HTML.
        assert titles['Kinh tế & xã hội "tăng tốc"'] == "Quý I &gt; quý IV."
