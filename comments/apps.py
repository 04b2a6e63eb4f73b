from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = "Bình luận và đánh giá"

    def ready(self):
        from comments import signals  # noqa: F401 - cache invalidation
        from comments.spam import current_form_token
        from portal import pagecache

        # A page served from the page cache gets a fresh "form shown at" token, so the
        # minimum-time check measures from this reader's view, not from the cached render.
        pagecache.register_filler(
            r'(name="opened" value=")[^"]*(" data-article="(\d+)")',
            lambda request, match: current_form_token(int(match.group(3))),
        )
        # An article page's shell re-renders the rating line from the row its view read.
        pagecache.register_hole_context("rating", _rating_context)


def _rating_context(values):
    from comments.templatetags.comments_tags import rating_total
    from comments.views import rating_line

    return {"rating": rating_line(rating_total(values["article"]))}
