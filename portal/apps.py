from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Cổng thông tin"

    def ready(self):
        from portal import fragments, roles  # noqa: F401 - post_migrate handler

        fragments.connect()


class AxesConfig(AxesAppConfig):
    """django-axes (admin login lockout) as it is, named in Vietnamese in the admin: it
    sets no name of its own, so its section read "Axes"."""

    verbose_name = "Khóa đăng nhập"
