from django.contrib.sitemaps import Sitemap
from django.db.models import Max

from news.models import Article, Category, Topic


class ArticleSitemap(Sitemap):
    """Every published article, in pages of 5,000 listed by the sitemap index."""

    limit = 5000
    changefreq = "weekly"

    def items(self):
        return Article.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, item):
        return item.updated_at

    def get_latest_lastmod(self):
        # Django's default computes max() over every item in Python: one query instead.
        return Article.objects.published().aggregate(latest=Max("updated_at"))["latest"]


class CategorySitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Category.objects.only("slug")


class TopicSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return Topic.objects.filter(is_active=True).only("slug").order_by("pk")
