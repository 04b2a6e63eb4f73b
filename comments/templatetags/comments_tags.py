"""The article page's rating and reader comments, rendered by the comments app so that
news never imports it: `{% load comments_tags %}{% article_feedback article %}`.

Queries: the rating total (1, none when the view read it with the article); when the
article has comments, their count, the page and the replies of the page (3, however many
comments there are), and none for the first page once it is cached (comments.fragments);
one more only for a browser that holds waiting comments or has voted (signed cookies). No
session is touched.
"""

from django import template
from django.conf import settings
from django.core.cache import cache, caches
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from comments import fragments, moderation
from comments.forms import CommentForm
from comments.models import Comment, Rating, RatingTotal
from comments.views import VOTER_COOKIE, pending_ids, rating_line, voter_id

register = template.Library()

PER_PAGE = 20
PAGE_PARAM = "trang-y-kien"


def _render_page(article, raw_page) -> str:
    replies = Comment.objects.approved().for_display().order_by("created_at", "id")
    comments = (
        Comment.objects.on_article(article)
        .for_display()
        .prefetch_related(Prefetch("replies", queryset=replies, to_attr="public_replies"))
    )
    # A bad page number on a sub-list must not break the article: nearest valid page.
    page = Paginator(comments, PER_PAGE).get_page(raw_page)
    return render_to_string("comments/list.html", {"page": page, "page_param": PAGE_PARAM})


def rating_total(article) -> RatingTotal | None:
    """The article's total: read with the article's row when its view selected it (the
    columns `rating_votes` and `rating_points`, news.views.article_detail: no query of its
    own), else one query."""
    if hasattr(article, "rating_votes"):
        if article.rating_votes is None:  # nobody has rated yet
            return None
        return RatingTotal(
            article_id=article.pk, votes=article.rating_votes, points=article.rating_points
        )
    try:
        return article.rating_total
    except RatingTotal.DoesNotExist:
        return None


def comment_list(article, raw_page) -> str:
    """The approved comments' HTML: the first page from the cache (what most readers see),
    other pages from the database."""
    if raw_page not in (None, "", "1"):
        return _render_page(article, raw_page)
    key = fragments.key(article.pk, 1)
    html = cache.get(key)
    if html is None:
        html = _render_page(article, 1)
        cache.set(key, html, fragments.TIMEOUT)
    return mark_safe(html)  # noqa: S308 - rendered by our template, autoescaped


@register.inclusion_tag("comments/article_block.html", takes_context=True)
def article_feedback(context, article):
    request = context.get("request")
    if not article.is_public:  # staff preview: nothing to rate or comment yet
        return {"show": False}
    # Read on every request, so a query string too long to parse is refused (400) here.
    raw_page = request.GET.get(PAGE_PARAM) if request else None
    result = {
        "show": True,
        "article": article,
        "request": request,
        "page_param": PAGE_PARAM,
    }
    if article.allow_rating:
        result["rating"] = rating_line(rating_total(article))
        result["rating_part"] = f"{article.pk}:{rating_form(article)}"
    if article.comment_count:
        result["comment_list"] = comment_list(article, raw_page)
    ids = pending_ids(request) if request else []
    if ids:
        result["waiting"] = list(
            Comment.objects.waiting()
            .filter(pk__in=ids, article=article)
            .for_display()
            .order_by("created_at")
        )
    if article.allow_comments:
        user = getattr(request, "user", None)
        # The form is the same for every reader but for these two, which key its fragment;
        # it is made only where that fragment is missing (or with the captcha, never cached).
        result.update(
            comments_open=True,
            use_captcha=settings.COMMENT_CAPTCHA,
            held=moderation.needs_approval(user, request),
            form=SimpleLazyObject(lambda: CommentForm(article=article, user=user)),
        )
    return result


_STAR_BUTTONS = mark_safe(  # noqa: S308 - constant markup
    "".join(
        f'<button type="submit" name="stars" value="{n}" title="{n} trên 5 sao" '
        f'aria-label="Đánh giá {n} trên 5 sao">★</button>'
        for n in range(1, 6)
    )
)


def rating_form(article) -> str:
    """The rating form as every reader who has not voted gets it: no token in it (it is
    part of the cached page; static/js/forms.js fills the token in). Kept with the
    fragments: its two reverse() calls cost more than the rest of the comment block."""
    key = f"comments:rating-form:{article.pk}:{article.slug}"
    store = caches["fragments"]
    html = store.get(key)
    if html is None:
        html = _rating_form(article)
        store.set(key, html, fragments.TIMEOUT)
    return html


def _rating_form(article) -> str:
    return format_html(
        '<form class="rating-form" method="post" action="{}" data-rating-form data-tokens="{}">'
        '<input type="hidden" name="csrfmiddlewaretoken" value="">\n'
        '    <span class="rating-label" id="rating-label">Đánh giá bài viết:</span>\n'
        '    <span class="stars" role="group" aria-labelledby="rating-label" '
        'aria-describedby="rating-total">{}</span>\n  </form>',
        reverse("comments:rate", args=[article.slug]),
        reverse("comments:form-tokens", args=[article.pk]),
        _STAR_BUTTONS,
    )


def rating_part(request, argument: str) -> str:
    """The per-view part of the rating block (`{% per_view "rating" "<id>:<form>" %}`): a
    reader who has rated sees their stars and nothing to press; others get the form of the
    argument. A page-cache hit makes it too, so it is right for each reader (one query, only
    for a browser holding the voter cookie)."""
    article_id, _, form = argument.partition(":")
    if request is not None and VOTER_COOKIE in request.COOKIES:
        voter = voter_id(request)
        stars = (
            Rating.objects.filter(article_id=int(article_id), voter=voter)
            .values_list("stars", flat=True)
            .first()
            if voter is not None
            else None
        )
        if stars:
            return format_html(
                '<p class="rating-done" data-rating-done>Bạn đã đánh giá {} sao cho bài viết '
                "này. Cảm ơn bạn!</p>",
                stars,
            )
    return form
