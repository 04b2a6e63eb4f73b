import functools

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.utils.functional import SimpleLazyObject
from django.views.decorators.http import require_safe

from news import blocks
from news.models import Article, Category, Tag, Topic
from portal import fragments, pagecache
from portal.http import NotFound
from stats import counting

PAGE_SIZE = 15


def paginate(request, queryset, per_page=PAGE_SIZE, *, count_key=""):
    """A page of `queryset`, or a 404 that says why for ?page=abc or ?page=999999. With
    `count_key`, the count is kept per worker (fragments.CountCachedPaginator)."""
    if count_key:
        paginator = fragments.CountCachedPaginator(queryset, per_page, count_key=count_key)
    else:
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
    # Read only when the page's cached "home-news" fragment is missing (news/home.html).
    featured = SimpleLazyObject(
        lambda: list(Article.objects.published().for_list().filter(featured=True)[:5])
    )
    return render(
        request,
        "news/home.html",
        {"featured": featured, "sections": SimpleLazyObject(lambda: _sections(featured))},
    )


def _sections(featured) -> list:
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
    return sections


@functools.cache
def _category_page_sql() -> str:
    # Only names from the model's _meta are formatted in; the slug is a query parameter.
    meta = Category._meta
    table, parent = meta.db_table, meta.get_field("parent").column
    return (
        f"SELECT c.id, c.name, c.slug, c.{parent}, p.name AS parent_name, "  # noqa: S608
        f"p.slug AS parent_slug, ARRAY(SELECT k.id FROM {table} k WHERE k.{parent} = c.id) "
        f"AS child_ids FROM {table} c LEFT JOIN {table} p ON p.id = c.{parent} "
        "WHERE c.slug = %s"
    )


@require_safe
@pagecache.cacheable
def category_detail(request, slug):
    # Raw SQL for the same reason as the article's row (_article_page_sql): the category,
    # its parent for the crumbs and its subcategories' ids for the listing, in one query
    # the ORM takes longer to build than the database to run.
    rows = list(Category.objects.raw(_category_page_sql(), [slug]))
    if not rows:
        raise Http404("No Category matches the given query.")
    category = rows[0]
    if category.parent_id is not None:
        category.parent = Category(
            pk=category.parent_id, name=category.parent_name, slug=category.parent_slug
        )
    # The count is kept per content generation: computed once per change, not per request.
    count_key = f"news:category-count:{fragments.generation_for(request)}:{category.pk}"
    articles = (
        Article.objects.published()
        .for_list()
        .category_listing(category, child_ids=category.child_ids)
    )
    page = paginate(request, articles, count_key=count_key)
    return render(request, "news/category.html", {"category": category, "page": page})


@require_safe
@pagecache.cacheable
def tag_detail(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    page = paginate(request, Article.objects.published().for_list().filter(tags=tag))
    return render(request, "news/tag.html", {"tag": tag, "page": page})


@require_safe
@pagecache.cacheable
def topic_list(request):
    page = paginate(request, Topic.objects.filter(is_active=True).order_by("-starts_on", "id"))
    return render(request, "news/topics.html", {"page": page})


@require_safe
@pagecache.cacheable
def topic_detail(request, slug):
    topic = get_object_or_404(Topic.objects.filter(is_active=True), slug=slug)
    page = paginate(request, Article.objects.published().for_list().filter(topic=topic))
    return render(request, "news/topic.html", {"topic": topic, "page": page})


def _visible(request, article: Article | None) -> Article:
    """`article` if readers may see it (visibility is checked on the row, as `published()`
    does), or if the request's staff user may preview it; else a 404."""
    if article is None:
        raise Http404("No Article matches the given query.")
    if article.is_public:
        return article
    user = request.user
    if user.is_authenticated and user.is_staff and user.has_perm("news.view_article"):
        # Staff preview what the admin shows them: editors any article, reporters their own.
        if user.has_perm("news.edit_any_article") or article.created_by_id == user.pk:
            return article
        raise NotFound("Bài viết này chưa được xuất bản.")
    raise Http404("No Article matches the given query.")


# The article page's row: what the page shows outside its cached fragments, and the
# rating total (the comments app's reverse one-to-one, `rating_votes` and `rating_points`,
# NULL when nobody has rated; comments_tags.rating_total reads them). Raw SQL, Django's
# documented `Manager.raw()`: the ORM spends longer building this one-row query than the
# database spends running it, and this is the query of every uncached article view. The
# other columns are deferred and load together, in one query, the first time a missing
# fragment asks for one (Article.refresh_from_db).
_ARTICLE_FIELDS = (
    "id", "title", "slug", "status", "publish_at", "updated_at", "view_count",
    "comment_count", "allow_rating", "allow_comments", "external_link", "source_url",
    "category", "topic", "created_by",
)  # fmt: skip


@functools.cache
def _article_page_sql() -> str:
    meta = Article._meta
    rating = meta.get_field("rating_total").related_model._meta
    columns = ", ".join(f"a.{meta.get_field(name).column}" for name in _ARTICLE_FIELDS)
    # Only names from the models' _meta are formatted in; the slug is a query parameter.
    return (
        f"SELECT {columns}, r.votes AS rating_votes, r.points AS rating_points "  # noqa: S608
        f"FROM {meta.db_table} a LEFT JOIN {rating.db_table} r "
        f"ON r.{rating.pk.column} = a.{meta.pk.column} WHERE a.slug = %s"
    )


@require_safe
@pagecache.cacheable
def article_detail(request, slug):
    rows = list(Article.objects.raw(_article_page_sql(), [slug]))
    article = _visible(request, rows[0] if rows else None)
    preview = not article.is_public
    if not preview:
        counting.count("article", article.pk, request)
        if article.external_link and article.source_url:
            # Only a pointer to another site's page (NukeViet's external link): go there.
            return HttpResponseRedirect(article.source_url)
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
    response = render(request, "news/article.html", context)
    if not preview:
        pagecache.count_on_hit(response, "article", article.pk)
    return response


@require_safe
@pagecache.cacheable
def site_map(request):
    """ "Sơ đồ trang" for people: every section and subsection, the library and the static
    pages (the XML sitemap stays for search engines)."""
    tops, children = [], {}
    for category in Category.objects.in_tree_order():
        if category.parent_id:
            children.setdefault(category.parent_id, []).append(category)
        else:
            tops.append(category)
    sections = [(top, children.get(top.pk, [])) for top in tops]
    return render(request, "news/site_map.html", {"sections": sections})


@require_safe
def article_print(request, slug):
    articles = Article.objects.select_related("category", "category__parent")
    article = _visible(request, articles.defer("search_vector").filter(slug=slug).first())
    return render(request, "news/print.html", {"article": article})
