from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Bình luận và đánh giá"

    def ready(self):
        from comments import signals  # noqa: F401 - cache invalidation
        from comments.spam import make_form_token
        from comments.templatetags.comments_tags import rating_part
        from comments.views import VOTER_COOKIE
        from portal import pagecache

        # Per-view parts of the article page (portal.pagecache): the comment form's "shown
        # at" token, so the minimum-time check measures from this reader's view, not from
        # a cached render; and the reader's own rating, so a reader who voted (the voter
        # cookie) is still served from the page cache and sees their vote.
        pagecache.register("opened", lambda request, article_id: make_form_token(int(article_id)))
        pagecache.register("rating", rating_part)
        pagecache.allow_cookie(VOTER_COOKIE)
