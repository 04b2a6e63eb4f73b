from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Bình luận và đánh giá"

    def ready(self):
        from comments import signals  # noqa: F401 - cache invalidation
        from comments.templatetags.comments_tags import rating_part
        from comments.views import VOTER_COOKIE
        from portal import pagecache

        # A per-view part of the article page (portal.pagecache): the reader's own rating,
        # so a reader who voted (the voter cookie) is still served from the page cache and
        # sees their vote.
        pagecache.register("rating", rating_part)
        pagecache.allow_cookie(VOTER_COOKIE)
