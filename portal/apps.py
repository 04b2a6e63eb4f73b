from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from portal import fragments, roles, signals  # noqa: F401 - post_migrate handler, cache invalidation

        fragments.connect()
        _register_live_regions()
        from portal.models import Banner
        from stats import counting

        counting.register("banner_click", Banner, "click_count")


def _register_live_regions():
    """What the page cache re-renders on every hit (portal/pagecache.py)."""
    from django.template.loader import render_to_string

    from portal import blocks, pagecache

    def banners(request, position):
        # The HTML is reused for a second (LIVE_REGION_SECONDS); impressions count per view.
        return blocks.render_reused(position, request)

    def stats(request, _argument):
        # The block's figures are cached for under a minute in the shared cache; its HTML
        # is kept 5 s more in this worker, so it stays within a minute of the truth.
        from django.conf import settings

        from stats import blocks as stats_blocks

        # Never longer than the figures themselves are cached (0 in tests: always fresh).
        # Kept as a Python string in this worker (no cache lock, no unpickling per hit).
        keep = min(5, settings.STATS_BLOCK_CACHE_SECONDS)
        local = pagecache.worker_copies
        html = local.get("live:stats") if keep else None
        if html is None:
            html = render_to_string("stats/block.html", {"totals": stats_blocks.site_totals()})
            if keep:
                local.set("live:stats", html, keep)
        return html

    pagecache.register_live("banners", banners)
    pagecache.register_live("stats", stats)
