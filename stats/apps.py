from django.apps import AppConfig


class StatsConfig(AppConfig):
    name = "stats"
    verbose_name = "Thống kê"

    def ready(self):
        from stats import signals  # noqa: F401 - cache invalidation
