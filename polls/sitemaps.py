from django.contrib.sitemaps import Sitemap

from polls.models import Poll


class PollSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.3
    limit = 5000

    def items(self):
        return Poll.objects.visible().only("slug", "opens_at").order_by("-opens_at", "-id")

    def lastmod(self, poll):
        return poll.opens_at
