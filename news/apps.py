from django.apps import AppConfig


class NewsConfig(AppConfig):
    name = "news"
    verbose_name = "Tin tức"

    def ready(self):
        # Imported here: models (and what uses them) load only once the registry is ready.
        from news import signals  # noqa: F401 - cache invalidation
        from news.models import Article
        from portal import fragments
        from stats import counting

        counting.register("article", Article, "view_count")
        # A scheduled article appears on the lists at its time, not a fragment's lifetime later.
        fragments.register_due(Article.objects.next_publication)
