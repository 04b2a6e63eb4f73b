from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Trang tĩnh và cấu hình trang"

    def ready(self):
        from pages import signals  # noqa: F401 - cache invalidation
