from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from documents import blocks


class DocumentSitemap(Sitemap):
    """Every published document, from the cached list (documents.blocks.sitemap_items)."""

    limit = 5000
    changefreq = "monthly"

    def items(self):
        return blocks.sitemap_items()

    def location(self, item):
        return reverse("documents:detail", kwargs={"slug": item[0]})

    def lastmod(self, item):
        return item[1]
