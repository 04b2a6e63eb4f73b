from django.apps import AppConfig


class LocksConfig(AppConfig):
    name = "locks"
    verbose_name = "Khóa sửa bài"

    def ready(self):
        from locks import signals  # noqa: F401 - the session keep-alive renews locks
