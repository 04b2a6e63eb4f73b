from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from schedule.models import Leader


class ScheduleSitemap(Sitemap):
    """The current week's pages (whole office and each leader): they change every week."""

    changefreq = "weekly"
    priority = 0.4

    def items(self):
        return ["", *Leader.objects.filter(is_active=True).values_list("slug", flat=True)]

    def location(self, slug):
        if not slug:
            return reverse("schedule:week")
        return reverse("schedule:leader", kwargs={"slug": slug})
