from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.utils.feedgenerator import Rss201rev2Feed
from django.utils.html import escape

from news.models import Article, Category
from portal.richtext import plain_text, text_of

FEED_SIZE = 30


class LatestFeed(Feed):
    feed_type = Rss201rev2Feed
    description = "Tin mới nhất"

    def title(self):
        return settings.PORTAL_SITE_NAME

    def link(self):
        return "/"

    def items(self):
        return Article.objects.published().for_list()[:FEED_SIZE]

    # Feed readers and aggregators show <title> and <description> as HTML once the XML is
    # decoded, whatever the site's pages do. The title goes out as plain text; the summary
    # (plain text on the site) as the HTML that shows exactly that text.
    def item_title(self, item):
        return plain_text(item.title)

    def item_description(self, item):
        return escape(text_of(item.summary))

    def item_pubdate(self, item):
        return item.publish_at


class CategoryFeed(LatestFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Category, slug=slug)

    def title(self, obj):
        return f"{obj.name} - {settings.PORTAL_SITE_NAME}"

    def link(self, obj):
        return obj.get_absolute_url()

    def items(self, obj):
        return Article.objects.published().for_list().in_category(obj)[:FEED_SIZE]
