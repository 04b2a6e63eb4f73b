from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Bình luận và đánh giá"

    def ready(self):
        from comments import signals  # noqa: F401 - cache invalidation
        from comments.spam import make_form_token
        from portal import pagecache

        # A page served from the page cache gets a fresh "form shown at" token, so the
        # minimum-time check measures from this reader's view, not from the cached render.
        pagecache.register_filler(
            r'(name="opened" value=")[^"]*(" data-article="(\d+)")',
            lambda request, match: make_form_token(int(match.group(3))),
        )
