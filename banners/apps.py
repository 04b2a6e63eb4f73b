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

        # A per-view part of every page (portal/pagecache.py): chosen and counted per view.
        pagecache.register("banners", lambda request, position: blocks.render(position, request))
