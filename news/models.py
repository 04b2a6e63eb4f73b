from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django_prose_editor.fields import ProseEditorField

from portal.richtext import EDITOR_EXTENSIONS, sanitize_html
from portal.text import vn_slugify
from portal.uploads import random_upload_name

upload_to_articles = random_upload_name("articles")
upload_to_body = random_upload_name("body")
upload_to_topics = random_upload_name("topics")


class CategoryQuerySet(models.QuerySet):
    def in_menu(self):
        return self.filter(show_in_menu=True)

    def top_level(self):
        return self.filter(parent__isnull=True)

    def in_tree_order(self):
        """Each top category followed by its children (two levels), each level by its
        order then name: the order of the menu, for pickers and report forms."""
        return (
            self.select_related("parent")
            .annotate(
                top_order=Coalesce("parent__order", "order"),
                top_name=Coalesce("parent__name", "name"),
                top_id=Coalesce("parent_id", "id"),
            )
            .order_by(
                "top_order", "top_name", "top_id", F("parent_id").asc(nulls_first=True),
                "order", "name",
            )
        )  # fmt: skip


class Category(models.Model):
    name = models.CharField("tên", max_length=120)
    slug = models.SlugField(
        "đường dẫn", max_length=140, unique=True, help_text="Chữ không dấu, nối bằng gạch ngang."
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="chuyên mục cha",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        help_text="Để trống nếu là chuyên mục cấp 1. Chỉ có hai cấp.",
    )
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")
    show_in_menu = models.BooleanField("hiện trên menu", default=True)
    description = models.TextField("mô tả", blank=True)

    objects = CategoryQuerySet.as_manager()

    class Meta:
        verbose_name = "chuyên mục"
        verbose_name_plural = "chuyên mục"
        ordering = ["order", "name"]

    def __str__(self):
        return f"{self.parent.name} › {self.name}" if self.parent_id and self.parent else self.name

    def get_absolute_url(self):
        return reverse("news:category", kwargs={"slug": self.slug})

    def clean(self):
        if self.parent_id:
            if self.parent_id == self.pk:
                raise ValidationError({"parent": "Chuyên mục không thể là cha của chính nó."})
            if self.parent.parent_id:
                raise ValidationError({"parent": "Chỉ cho phép hai cấp chuyên mục."})
            if self.pk and self.children.exists():
                raise ValidationError(
                    {"parent": "Chuyên mục này đang có chuyên mục con nên không thể làm cấp 2."}
                )

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, 140)
        super().save(*args, **kwargs)


class Tag(models.Model):
    name = models.CharField("tên", max_length=80, unique=True)
    slug = models.SlugField("đường dẫn", max_length=100, unique=True)

    class Meta:
        verbose_name = "thẻ"
        verbose_name_plural = "thẻ"
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("news:tag", kwargs={"slug": self.slug})

    def save(self, *args, **kwargs):
        if not self.slug:
            self.slug = vn_slugify(self.name, 100) or "the"
        super().save(*args, **kwargs)


class TopicQuerySet(models.QuerySet):
    def active(self):
        """Shown in the "Dòng sự kiện" block: switched on and within its dates today."""
        today = timezone.localdate()
        return self.filter(is_active=True, starts_on__lte=today).filter(
            models.Q(ends_on__isnull=True) | models.Q(ends_on__gte=today)
        )


class Topic(models.Model):
    """A running story ("dòng sự kiện", e.g. a Party congress) that articles are attached to."""

    title = models.CharField("tên dòng sự kiện", max_length=250)
    slug = models.SlugField(
        "đường dẫn", max_length=255, unique=True, blank=True,
        help_text="Tự tạo từ tên nếu để trống; chữ không dấu.",
    )  # fmt: skip
    lead = models.TextField("giới thiệu", max_length=2000, blank=True)
    image = models.ImageField("ảnh", upload_to=upload_to_topics, blank=True,
                              max_length=200)  # fmt: skip
    starts_on = models.DateField(
        "hiện từ ngày", default=timezone.localdate,
        help_text="Khối “Dòng sự kiện” hiện chủ đề này từ ngày này.",
    )  # fmt: skip
    ends_on = models.DateField(
        "đến ngày", null=True, blank=True,
        help_text="Sau ngày này chủ đề không còn trong khối (trang của nó vẫn xem được).",
    )  # fmt: skip
    is_active = models.BooleanField("đang dùng", default=True)
    order = models.PositiveSmallIntegerField("thứ tự", default=0, help_text="Số nhỏ đứng trước.")

    objects = TopicQuerySet.as_manager()

    class Meta:
        verbose_name = "dòng sự kiện"
        verbose_name_plural = "dòng sự kiện"
        ordering = ["order", "-starts_on", "id"]
        get_latest_by = "starts_on"

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:topic", kwargs={"slug": self.slug})

    def clean(self):
        if self.ends_on and self.starts_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": "Ngày kết thúc phải sau ngày bắt đầu."})

    def save(self, *args, **kwargs):
        if not self.slug:
            base = vn_slugify(self.title, 240) or "dong-su-kien"
            slug, n = base, 2
            while Topic.objects.exclude(pk=self.pk).filter(slug=slug).exists():
                slug, n = f"{base}-{n}", n + 1
            self.slug = slug
        super().save(*args, **kwargs)


# Search ranks at most this many of the newest matches (ArticleQuerySet.search).
SEARCH_LIMIT = 1000


class ArticleQuerySet(models.QuerySet):
    def next_publication(self, now):
        """When the next scheduled article goes live, or None."""
        scheduled = self.filter(status=Article.Status.PUBLISHED, publish_at__gt=now)
        return scheduled.order_by("publish_at").values_list("publish_at", flat=True).first()

    def published(self):
        """Visible to the public now. A future publish time means scheduled: no cron needed."""
        return self.filter(status=Article.Status.PUBLISHED, publish_at__lte=timezone.now())

    def for_list(self):
        return self.select_related("category").only(
            "id", "title", "slug", "summary", "publish_at", "view_count", "comment_count",
            "image_thumb", "image_renditions", "image_caption", "category__id",
            "category__name", "category__slug", "status",
        )  # fmt: skip

    def in_category(self, category):
        """Articles of a category and of its subcategories, by main or extra category."""
        ids = [category.pk, *category.children.values_list("pk", flat=True)]
        # A subquery, not a join: no DISTINCT over the whole category (at 200,000 articles
        # the join and DISTINCT cost half a second per page).
        extra = Article.extra_categories.through.objects.filter(category_id__in=ids)
        return self.filter(
            models.Q(category_id__in=ids) | models.Q(pk__in=extra.values("article_id"))
        )

    def category_listing(
        self, category, *, child_ids: list[int] | None = None
    ) -> "CategoryListing":
        """A category's published articles (as published().in_category()) for Paginator:
        its count and its pages from index paths only, however many articles the category
        has; the page's rows are read through this queryset (its select_related and only).
        `child_ids`: the subcategories' ids when the caller read them with the category
        (news.views.category_detail), else one query. The view keeps the count per content
        generation (fragments.CountCachedPaginator)."""
        return CategoryListing(self, category, child_ids=child_ids)

    def search(self, query: str):
        """Accent-insensitive full-text search, best matches first (GIN index).

        Ranks the newest SEARCH_LIMIT matches only: words that most of a 200,000-article
        archive contains would otherwise rank (and count) every match on each search.
        """
        tsquery = "websearch_to_tsquery('simple'::regconfig, portal_unaccent(%s))"
        matches = self.alias(
            match=RawSQL(f"search_vector @@ {tsquery}", [query], models.BooleanField())
        ).filter(match=True)
        newest = matches.order_by("-publish_at").values("pk")[:SEARCH_LIMIT]
        return (
            self.filter(pk__in=newest)
            # Cover density: words found close together (a phrase in the title) rank above
            # the same words scattered through a long body; normalised by length.
            .annotate(rank=RawSQL(f"ts_rank_cd(search_vector, {tsquery}, 1)", [query]))
            .order_by("-rank", "-publish_at")
        )

    def most_read(self, days: int = 30):
        since = timezone.now() - timezone.timedelta(days=days)
        return self.published().filter(publish_at__gte=since).order_by("-view_count", "-publish_at")


class CategoryListing:
    """The articles of `in_category()` for Paginator, in two queries that stay fast at
    200,000 articles (bench/scale.py): `count()` and one slice.

    `category_id IN (...) OR id IN (extra categories)` cannot use an index, so counting it
    or reading a deep page of it scans the whole table. Here each path has its own index
    scan: the main category's articles are one ordered scan of news_article_cat_pub_idx per
    category id (index-only), and the articles only in an extra category (their main one is
    elsewhere) come from the extra categories' table. The two sets are disjoint, so the
    count is a sum and a page is the newest rows of their union.
    """

    ordered = True  # Paginator: the order is -publish_at, -id, as Article.Meta

    def __init__(self, queryset: ArticleQuerySet, category, *, child_ids=None):
        self.queryset = queryset
        if child_ids is None:
            child_ids = category.children.values_list("pk", flat=True)
        self.ids = [category.pk, *child_ids]

    def _main(self, category_id=None):
        ids = self.ids if category_id is None else [category_id]
        return self.queryset.model.objects.published().filter(category_id__in=ids).order_by()

    def _extra(self):
        through = Article.extra_categories.through.objects.filter(category_id__in=self.ids)
        return (
            self.queryset.model.objects.published()
            .filter(pk__in=through.values("article_id"))
            .exclude(category_id__in=self.ids)
            .order_by()
        )

    def count(self) -> int:
        """One query: the two disjoint counts added."""
        # COUNT(*), not COUNT(id): no column to read, so the scans can be index-only.
        n = models.Func(template="COUNT(*)", output_field=models.IntegerField())
        main = models.Subquery(self._main().annotate(n=n).values("n"))
        extra = models.Subquery(self._extra().annotate(n=n).values("n"))
        return Category.objects.filter(pk=self.ids[0]).values_list(main + extra, flat=True)[0]

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, index: slice):
        """One page: the rows whose ids are the newest of each path's newest `stop`."""
        start, stop = index.start or 0, index.stop
        if stop <= start:
            return []
        # Lazy: even building this SQL costs more than the rest of the view, and the rows
        # are read only when the page's cached fragment is missing.
        return SimpleLazyObject(lambda: self._page(start, stop))

    def _page(self, start: int, stop: int):
        newest = ("-publish_at", "-id")
        parts = [self._main(pk).order_by(*newest)[:stop] for pk in self.ids]
        parts.append(self._extra().order_by(*newest)[:stop])
        sql, params = [], []
        for part in parts:
            part_sql, part_params = part.values("id", "publish_at").query.sql_with_params()
            sql.append(f"({part_sql})")
            params.extend(part_params)
        union = " UNION ALL ".join(sql)
        page = RawSQL(
            f"SELECT id FROM ({union}) AS newest ORDER BY publish_at DESC, id DESC "  # noqa: S608 - the parts are Django's own SQL, values are parameters
            "LIMIT %s OFFSET %s",
            [*params, stop - start, start],
        )
        return self.queryset.filter(pk__in=page).order_by(*newest)


SEARCH_VECTOR_SQL = (
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(title, ''))), 'A') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(coalesce(summary, ''))), 'B') || "
    "setweight(to_tsvector('simple'::regconfig, portal_unaccent(left(coalesce(body, ''), 300000))), 'C')"
)


class Article(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Bản nháp"
        PENDING = "pending", "Chờ duyệt"
        PUBLISHED = "published", "Đã xuất bản"
        HIDDEN = "hidden", "Đã ẩn"

    title = models.CharField("tiêu đề", max_length=250)
    slug = models.SlugField(
        "đường dẫn", max_length=255, unique=True, blank=True,
        help_text="Tự tạo từ tiêu đề nếu để trống; chữ không dấu.",
    )  # fmt: skip
    summary = models.TextField("tóm tắt (sapo)", max_length=2000, blank=True)
    body = ProseEditorField(
        "nội dung", extensions=EDITOR_EXTENSIONS, sanitize=sanitize_html, blank=True
    )
    image = models.ImageField(
        "ảnh đại diện", upload_to=upload_to_articles, blank=True, max_length=200
    )
    image_caption = models.CharField(
        "chú thích ảnh",
        max_length=300,
        blank=True,
        help_text="Cũng dùng làm văn bản thay thế (alt).",
    )
    image_thumb = models.ImageField(
        editable=False, blank=True, max_length=200, upload_to="renditions/%Y/%m"
    )
    image_large = models.ImageField(
        editable=False, blank=True, max_length=200, upload_to="renditions/%Y/%m"
    )
    # Of image_large, for the page's width/height attributes; and which rendition set is
    # stored (news.images.RENDITIONS): pages build srcset from these, with no query.
    # The database defaults serve rows written in SQL (bench_scale) and older code.
    image_width = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    image_height = models.PositiveIntegerField(default=0, db_default=0, editable=False)
    image_renditions = models.PositiveSmallIntegerField(default=0, db_default=0, editable=False)
    author = models.CharField("tác giả", max_length=150, blank=True)
    source_name = models.CharField("nguồn", max_length=200, blank=True)
    source_url = models.URLField("liên kết nguồn", blank=True, max_length=500)
    # NukeViet's "liên kết ngoài" (external_link): the article only points at another
    # site's page, and readers who open it go there. A database default for rows written
    # in SQL (bench_scale).
    external_link = models.BooleanField(
        "chuyển tới liên kết nguồn", default=False, db_default=False,
        help_text="Bạn đọc mở bài được chuyển thẳng tới liên kết nguồn (cần có liên kết nguồn).",
    )  # fmt: skip
    category = models.ForeignKey(
        Category, verbose_name="chuyên mục chính", on_delete=models.PROTECT, related_name="articles"
    )
    extra_categories = models.ManyToManyField(
        Category, verbose_name="chuyên mục khác", blank=True, related_name="extra_articles"
    )
    tags = models.ManyToManyField(Tag, verbose_name="thẻ", blank=True, related_name="articles")
    topic = models.ForeignKey(
        Topic, verbose_name="dòng sự kiện", on_delete=models.SET_NULL, null=True, blank=True,
        related_name="articles", help_text="Bài thuộc dòng sự kiện này (hiện trên trang của nó).",
    )  # fmt: skip
    status = models.CharField(
        "trạng thái", max_length=12, choices=Status.choices, default=Status.DRAFT
    )
    publish_at = models.DateTimeField(
        "thời gian xuất bản", default=timezone.now,
        help_text="Bài hiện với bạn đọc từ thời điểm này; thời điểm trong tương lai là hẹn giờ.",
    )  # fmt: skip
    featured = models.BooleanField("tin tiêu điểm", default=False)
    allow_comments = models.BooleanField("cho phép bình luận", default=True)
    allow_rating = models.BooleanField("cho phép đánh giá", default=True)
    view_count = models.PositiveBigIntegerField("lượt xem", default=0, editable=False)
    # Approved reader comments; written only by comments.services, in the same transaction
    # as the moderation that changes it (news never imports comments).
    comment_count = models.PositiveIntegerField("số bình luận", default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="người tạo", on_delete=models.SET_NULL,
        null=True, blank=True, editable=False, related_name="articles",
    )  # fmt: skip
    created_at = models.DateTimeField("tạo lúc", auto_now_add=True)
    updated_at = models.DateTimeField("sửa lúc", auto_now=True)
    search_vector = models.GeneratedField(
        expression=RawSQL(SEARCH_VECTOR_SQL, []),
        output_field=SearchVectorField(),
        db_persist=True,
    )

    objects = ArticleQuerySet.as_manager()

    class Meta:
        verbose_name = "bài viết"
        verbose_name_plural = "bài viết"
        ordering = ["-publish_at", "-id"]
        get_latest_by = "publish_at"
        permissions = [
            ("publish_article", "Có thể xuất bản, hẹn giờ và ẩn bài viết"),
            ("edit_any_article", "Có thể sửa bài viết của người khác"),
        ]
        indexes = [
            # Home, category, feeds, sitemap: published articles newest first.
            models.Index(
                fields=["-publish_at"],
                name="news_article_published_idx",
                condition=models.Q(status="published"),
            ),
            # Category pages: a category's published articles newest first; with the id,
            # a page and the count are index-only scans (news.models.CategoryListing).
            models.Index(
                fields=["category", "-publish_at", "-id"],
                name="news_article_cat_pub_idx",
                condition=models.Q(status="published"),
            ),
            # Home page "tin tiêu điểm".
            models.Index(
                fields=["-publish_at"],
                name="news_article_featured_idx",
                condition=models.Q(status="published", featured=True),
            ),
            # Sidebar "Tin xem nhiều": most viewed among recent articles.
            models.Index(
                fields=["-view_count"],
                name="news_article_views_idx",
                condition=models.Q(status="published"),
            ),
            # Topic page and "other articles of the topic": its published articles newest first.
            models.Index(
                fields=["topic", "-publish_at"],
                name="news_article_topic_idx",
                condition=models.Q(status="published", topic__isnull=False),
            ),
            # Admin changelist filtered by status, newest first.
            models.Index(fields=["status", "-publish_at"], name="news_article_status_idx"),
            # Search: the full-text vector.
            GinIndex(fields=["search_vector"], name="news_article_search_idx"),
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("news:article", kwargs={"slug": self.slug})

    def refresh_from_db(self, using=None, fields=None, **kwargs):
        # Django's documented pattern: the first deferred field read loads the others with
        # it, in one query. The article page reads a narrow row and its missing fragments
        # ask for several columns; one query each would make a cold render cost more. The
        # search vector is never shown, so it stays deferred.
        if fields is not None:
            deferred = self.get_deferred_fields() - {"search_vector"}
            if deferred.intersection(fields):
                fields = deferred.union(fields)
        super().refresh_from_db(using, fields, **kwargs)

    @property
    def is_public(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == self.Status.PUBLISHED and self.publish_at > timezone.now()

    def clean(self):
        if self.source_url and not self.source_name:
            raise ValidationError({"source_name": "Hãy ghi tên nguồn khi có liên kết nguồn."})

    def save(self, *args, **kwargs):
        self.body = sanitize_html(self.body)
        if not self.slug:
            self.slug = self._unique_slug()
        super().save(*args, **kwargs)

    def _unique_slug(self) -> str:
        base = vn_slugify(self.title, 240) or "bai-viet"
        slug, n = base, 2
        taken = Article.objects.exclude(pk=self.pk).filter(slug__startswith=base)
        existing = set(taken.values_list("slug", flat=True))
        while slug in existing:
            slug = f"{base}-{n}"
            n += 1
        return slug


class BodyImage(models.Model):
    """An image uploaded from the editor into an article body (staff only)."""

    image = models.ImageField("ảnh", upload_to=upload_to_body, max_length=200)
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    original_name = models.CharField("tên tệp gốc", max_length=255, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "ảnh trong bài"
        verbose_name_plural = "ảnh trong bài"
        ordering = ["-uploaded_at"]
        get_latest_by = "uploaded_at"

    def __str__(self):
        return self.original_name or self.image.name

    def get_absolute_url(self):
        return self.image.url
