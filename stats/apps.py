from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê"

    def ready(self):
        from stats import signals  # noqa: F401 - cache invalidation

        _register_with_page_cache()


def _register_with_page_cache():
    """What the page cache (portal/pagecache.py) does again on every hit: count what the
    view counted, and re-render the "Thống kê" block."""
    from django.template.loader import render_to_string

    from portal import pagecache
    from stats import counting

    pagecache.register_counter(counting.count)

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

    pagecache.register_live("stats", stats)
