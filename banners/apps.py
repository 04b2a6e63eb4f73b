from django.apps import AppConfig


class BannersConfig(AppConfig):
    name = "banners"
    verbose_name = "Banner liên kết"

    def ready(self):
        # Imported here: models (and what uses them) load only once the registry is ready.
        from banners import blocks, signals  # noqa: F401 - cache invalidation
        from banners.models import CLICK, Banner
        from portal import pagecache
        from stats import counting

        counting.register(CLICK, Banner, "click_count")

        def banners(request, position):
            # The HTML is reused for a second (LIVE_REGION_SECONDS); impressions count per view.
            return blocks.render_reused(position, request)

        # What the page cache re-renders on every hit (portal/pagecache.py).
        pagecache.register_live("banners", banners)
