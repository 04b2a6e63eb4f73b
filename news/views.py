from django.conf import settings
from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from news import blocks
from news.models import Article, Category, Tag
from portal import fragments, pagecache
from portal.http import NotFound
from stats import counting

PAGE_SIZE = 15


def paginate(request, queryset, per_page=PAGE_SIZE):
    """A page of `queryset`, or a 404 that says why for ?page=abc or ?page=999999."""
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", "1")
    try:
        return paginator.page(raw)
    except PageNotAnInteger:
        raise NotFound("Số trang không hợp lệ.") from None
    except EmptyPage:
        raise NotFound("Trang này không có bài viết nào.") from None


@require_safe
@pagecache.cacheable
def home(request):
    featured = list(Article.objects.published().for_list().filter(featured=True)[:5])
    featured_ids = [a.pk for a in featured]
    sections = []
    for category in blocks.menu():
        ids = [category.pk, *(c.pk for c in category.menu_children)]
        latest = list(
            Article.objects.published()
            .for_list()
            .filter(category_id__in=ids)
            .exclude(pk__in=featured_ids)[:5]
        )
        if latest:
            sections.append((category, latest))
    return render(request, "news/home.html", {"featured": featured, "sections": sections})


@require_safe
@pagecache.cacheable
def category_detail(request, slug):
    category = get_object_or_404(Category.objects.select_related("parent"), slug=slug)
    # The count is kept per content generation: computed once per change, not per request.
    count_key = f"news:category-count:{fragments.generation()}:{category.pk}"
    articles = Article.objects.published().for_list()
    page = paginate(request, articles.category_listing(category, count_key=count_key))
    return render(request, "news/category.html", {"category": category, "page": page})


@require_safe
@pagecache.cacheable
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().for_list().filter(tags=tag))
    return render(request, "news/tag.html", {"tag": tag, "page": page})


def _article_for(request, slug, *, joins=("category", "category__parent")) -> Article:
    """The published article, or any article for staff who may preview it: one query, the
    row by its unique slug (visibility is checked on the row, as `published()` does)."""
    # The body and the search vector are the heavy columns: the body is read only when its
    # cached fragment is missing (see news/article.html), the vector never.
    queryset = Article.objects.select_related(*joins).defer("body", "search_vector")
    article = get_object_or_404(queryset, slug=slug)
    if article.is_public:
        return article
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm("news.view_article"):
        # Staff preview what the admin shows them: editors any article, reporters their own.
        if user.has_perm("news.edit_any_article") or article.created_by_id == user.pk:
            return article
        raise NotFound("Bài viết này chưa được xuất bản.")
    raise Http404("No Article matches the given query.")


def _reader_article(request, slug) -> Article:
    """The row for an anonymous reader's shell: read on every request, or with
    ARTICLE_ROW_SECONDS (1 s by default) at most that often per worker, kept with this
    worker's page copies (pagecache.worker_copies). A staff change replaces the content
    generation, so it shows at once as with the page cache; visibility is checked on every
    request; the view count is behind by as long as its own buffer."""
    seconds = settings.ARTICLE_ROW_SECONDS
    if not seconds:
        return _article_for(request, slug, joins=("rating_total",))
    key = f"article-row:{slug}:{fragments.generation()}"
    article = pagecache.worker_copies.get(key)
    if article is None:
        article = _article_for(request, slug, joins=("rating_total",))
        pagecache.worker_copies.set(key, article, seconds)
    if not article.is_public:
        raise Http404("No Article matches the given query.")
    return article


@require_safe
@pagecache.cacheable
def article_detail(request, slug):
    # A captcha token must differ per reader: no shell while the comment form shows one.
    shell = pagecache.shell_eligible(request) and not settings.COMMENT_CAPTCHA
    # The rating total (the comments app's reverse one-to-one, named only) comes with the
    # row. From a shell the category is not shown outside its cached fragments, so it is
    # not joined (a join costs more to plan and build than the row); a render reads it once.
    if shell:
        article = _reader_article(request, slug)
    else:
        article = _article_for(
            request, slug, joins=("category", "category__parent", "rating_total")
        )
    preview = not article.is_public
    if not preview:
        counting.count("article", article.pk, request)
    # Lazy: built and evaluated only when the cached "related" fragment is missing.
    related = SimpleLazyObject(
        lambda: list(
            Article.objects.published()
            .for_list()
            .filter(category_id=article.category_id)
            .exclude(pk=article.pk)[:6]
        )
    )
    context = {"article": article, "related": related, "preview": preview}
    if shell and not preview:
        # Every anonymous reader's page is the same but for the holes (view count, rating,
        # form tokens, banners): filled into this worker's pre-rendered shell, which a new
        # edit (updated_at), comment count or content generation replaces.
        key = f"article:{article.pk}:{article.updated_at.timestamp()}:{article.comment_count}"
        response = pagecache.render_shell(
            request, "news/article.html", context, key=key, values={"article": article}
        )
    else:
        response = render(request, "news/article.html", context)
    if not preview:
        pagecache.count_on_hit(response, "article", article.pk)
    return response


@require_safe
def article_print(request, slug):
    article = _article_for(request, slug)
    return render(request, "news/print.html", {"article": article})
