from django.contrib.sitemaps import Sitemap

from contact.models import Message


class QuestionSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.4
    limit = 5000

    def items(self):
        return Message.objects.published().only("pk", "answered_at").order_by("-answered_at", "-id")

    def lastmod(self, item):
        return item.answered_at
