from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from portal import fragments, roles  # noqa: F401 - post_migrate handler

        fragments.connect()
