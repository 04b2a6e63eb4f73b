from django.apps import AppConfig


class PagesConfig(AppConfig):
    name = "pages"
    verbose_name = "Trang tĩnh và cấu hình trang"

    def ready(self):
        # Imported here: models (and what uses them) load only once the registry is ready.
        from pages import signals  # noqa: F401 - cache invalidation
