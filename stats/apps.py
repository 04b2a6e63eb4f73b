from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê"

    def ready(self):
        from stats import signals  # noqa: F401 - cache invalidation

        _register_with_page_cache()


def _register_with_page_cache():
    """What the page cache (portal/pagecache.py) does again on every hit: count what the
    view counted, and make the "Thống kê" block."""
    from portal import pagecache
    from stats import blocks, counting

    pagecache.register_counter(counting.count)

    def stats(request, _argument):
        # Its figures come from the shared cache (under a minute old, stats.blocks), so the
        # block stays within a minute of the truth however long the page is cached.
        return blocks.block_html()

    pagecache.register("stats", stats)
