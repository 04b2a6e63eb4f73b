from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Bình luận và đánh giá"

    def ready(self):
        from comments import moderation, signals  # noqa: F401 - cache invalidation

        # A typo in COMMENT_MODERATION stops the start, not the first comment.
        moderation.get_mode()
