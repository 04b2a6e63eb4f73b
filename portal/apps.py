from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from portal import roles, signals  # noqa: F401 - post_migrate handler, cache invalidation
        from portal.models import Banner
        from stats import counting

        counting.register("banner_click", Banner, "click_count")
